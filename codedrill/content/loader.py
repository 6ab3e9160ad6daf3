"""Read a content folder into plain objects, collecting every problem with file, line and fix.

Layout (docs/authoring.md): <root>/<track>/<pattern>/pattern.yaml, the Markdown pages,
questions/, visualize/, review/ and lab/. Loading never stops at the first bad file: the caller
gets every pattern it could read and every error, and decides (publish and check refuse the
whole folder if there is any error).
"""

import ast
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from codedrill.content.modes import (
    CHALLENGE_PER_CATEGORY,
    MODE_SLUGS,
    PAGE_MODES,
    TEST_MIX,
    TEST_PER_DIFFICULTY,
)
from codedrill.content.projects import ProjectSource, read_project
from codedrill.content.questions import (
    CATEGORIES,
    POOLS,
    QuestionSource,
    TraceSource,
    prose_problems,
    read_question,
    read_trace,
)
from codedrill.content.setups import read_database
from codedrill.content.yamlfile import ContentError, YamlFile, check_fields
from codedrill.lab.engine import SERVERS
from codedrill.lab.experiments import citation_problem, defines

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PATTERN_FIELDS = {
    "uuid": "a UUID, e.g. from `python -c 'import uuid; print(uuid.uuid4())'`",
    "slug": "lowercase words joined by hyphens, used in URLs",
    "title": "the pattern's name as learners see it",
    "framework": "what the pattern is about, with its version, e.g. “Django 5.2”",
    "summary": "one or two sentences for the catalog",
    "badge": "the name of the badge the Challenge earns",
    "concepts": "a list of {slug, title} the questions are tagged with",
    "minutes": f"estimated minutes for each mode: {', '.join(MODE_SLUGS)}",
}
PATTERN_OPTIONAL = {
    "badge_needs_project": "true: the badge also needs every step of the project passed",
}


@dataclass
class CardSource:
    id: uuid.UUID
    concept: str
    front: str
    back: str


@dataclass
class ExperimentSource:
    folder: Path
    slug: str
    id: uuid.UUID
    title: str
    summary: str
    site: str  # the site's code
    endpoints: list[dict]
    servers: list[str]
    parameters: dict[str, dict]
    middleware: list[str] | None = None  # None: Django's default stack
    database: str = ""  # "sqlite" or "postgresql"; "": none, or SQLite when it has `models`
    probe: dict | None = None
    question: str = ""  # what the learner finds out, on the experiment's card
    reading: str = ""  # reading.py: reads a measured run back in one plain sentence
    models: str = ""  # the code of the site's models (the app lab_app), if any
    predict: list[str] = field(default_factory=list)  # what the learner predicts; [] default
    tally: dict | None = None  # {path, label}: asked once every request has been answered


@dataclass
class PatternSource:
    folder: Path
    track: str
    uuid: uuid.UUID
    slug: str
    title: str
    framework: str
    summary: str
    badge: str
    concepts: list[dict]
    minutes: dict[str, int]
    badge_needs_project: bool = False
    pages: dict[str, str] = field(default_factory=dict)
    questions: list[QuestionSource] = field(default_factory=list)
    traces: list[TraceSource] = field(default_factory=list)
    cards: list[CardSource] = field(default_factory=list)
    cheatsheet: str = ""
    experiments: list[ExperimentSource] = field(default_factory=list)
    project: ProjectSource | None = None

    def pool(self, name: str) -> list[QuestionSource]:
        return [q for q in self.questions if name in q.pools]


EXPERIMENT_REQUIRED = {
    "id": "a UUID",
    "title": "the experiment's title",
    "question": "the question a run answers, shown on the experiment's card",
    "summary": "what the learner will see and why, in Markdown",
    "site": "the file holding the site's code, e.g. site.py",
    "endpoints": "a list of {path, label}",
    "servers": f"the servers a learner may pick: {', '.join(SERVERS)}",
    "parameters": "bounded parameters: {name: {default, min, max}}; `requests` is required",
}
EXPERIMENT_OPTIONAL = {
    "middleware": "dotted paths",
    "database": "sqlite (or true) for an SQLite database, postgresql for a PostgreSQL one",
    "probe": "{path, after, label}: one more request, sent `after` seconds behind the batch",
    "tally": "{path, label}: one more request, sent once every request has been answered; "
    "it answers a whole number, e.g. the stock left",
    "models": "the file holding the site's models (the app lab_app), e.g. models.py; each "
    "request's queries are then counted",
    "predict": "what the learner predicts before a run: a list from "
    "wall, probe, queries, tally (default: wall, and probe when there is one)",
}
PARAMETER_LIMITS = {"requests": 50, "delay": 3.0, "workers": 4, "threads": 16, "work": 10_000_000,
                    "rows": 200}  # fmt: skip
PREDICTIONS = ("wall", "probe", "queries", "tally")
# What a pool needs before its mode can use it (SPEC §3); an empty pool just hides the mode.
POOL_SIZES = {"try": 5, "practice": 5, "review": 5}
# A pool whose written key position would happen by chance less often than this is warned of.
KEY_PLACE_CHANCE = 0.01


def _read_pattern(pattern_yaml: Path, errors: list[ContentError]) -> PatternSource | None:
    file = YamlFile(pattern_yaml, errors)
    if file.data is None or not check_fields(file, file.data, PATTERN_FIELDS, PATTERN_OPTIONAL):
        return None
    data = file.data
    before = len(errors)

    try:
        pattern_uuid = uuid.UUID(str(data["uuid"]))
    except ValueError:
        file.error(file.line("uuid"), f"`uuid` is not a UUID: {data['uuid']!r}.")
        pattern_uuid = None
    texts = {}
    for key in ("slug", "title", "framework", "summary", "badge"):
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            file.error(file.line(key), f"`{key}` must be non-empty text.")
        texts[key] = str(value).strip()
    needs_project = data.get("badge_needs_project", False)
    if not isinstance(needs_project, bool):
        file.error(file.line("badge_needs_project"), "`badge_needs_project` must be true or false.")
    if not SLUG_RE.match(texts["slug"]):
        file.error(
            file.line("slug"), f"`slug` {texts['slug']!r} must be lowercase-words-with-hyphens."
        )

    concepts = data["concepts"]
    if (
        not isinstance(concepts, list)
        or not concepts
        or not all(isinstance(c, dict) and set(c) == {"slug", "title"} for c in concepts)
    ):
        file.error(file.line("concepts"), "`concepts` must be a list of {slug, title}.")

    minutes = data["minutes"]
    if not isinstance(minutes, dict):
        file.error(file.line("minutes"), "`minutes` must map each mode to a number.")
    else:
        missing = [m for m in MODE_SLUGS if m not in minutes]
        unknown = [m for m in minutes if m not in MODE_SLUGS]
        bad = [m for m, v in minutes.items() if not isinstance(v, int) or not 0 < v <= 120]
        if missing or unknown or bad:
            file.error(
                file.line("minutes"),
                f"`minutes` needs a whole number from 1 to 120 for each of: "
                f"{', '.join(MODE_SLUGS)} (missing: {missing or 'none'}, "
                f"unknown: {unknown or 'none'}, not a number in range: {bad or 'none'}).",
            )
    if len(errors) > before:
        return None

    folder = pattern_yaml.parent
    source = PatternSource(
        folder=folder,
        track=folder.parent.name,
        uuid=pattern_uuid,
        concepts=concepts,
        minutes=minutes,
        badge_needs_project=needs_project is True,
        **texts,
    )
    for mode in PAGE_MODES:
        if text := _read_markdown(folder / f"{mode}.md", errors):
            source.pages[mode] = text
    concept_slugs = {c["slug"] for c in concepts}
    for path in sorted(folder.glob("questions/*/question.yaml")):
        if question := read_question(path, concept_slugs, errors):
            source.questions.append(question)
    for path in sorted(folder.glob("visualize/*/trace.yaml")):
        if trace := read_trace(path, errors):
            source.traces.append(trace)
    source.cheatsheet = _read_markdown(folder / "review" / "cheatsheet.md", errors)
    if (folder / "review" / "flashcards.yaml").exists():
        source.cards = _read_cards(folder / "review" / "flashcards.yaml", concept_slugs, errors)
    for path in sorted(folder.glob("lab/*/experiment.yaml")):
        if experiment := _read_experiment(path, errors):
            source.experiments.append(experiment)
    if (folder / "project").is_dir():
        source.project = read_project(folder / "project", errors)
    elif source.badge_needs_project:
        file.error(
            file.line("badge_needs_project"),
            "the badge needs a project, and there is no project/ folder.",
        )
    _check_references(source, errors)
    _check_pools(source, errors)
    return source


def _read_markdown(path: Path, errors: list[ContentError]) -> str:
    if not path.exists():
        return ""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(ContentError(path, 1, f"cannot read the page ({exc})."))
        return ""
    for number, line in enumerate(text.splitlines(), 1):
        for problem, _words in prose_problems(line):
            if "raw HTML" in problem:
                errors.append(ContentError(path, number, f"this line {problem}."))
    return text


def _read_cards(path: Path, concepts: set[str], errors: list[ContentError]) -> list[CardSource]:
    file = YamlFile(path, errors)
    if file.data is None or not check_fields(file, file.data, {"cards": "a list of cards"}, {}):
        return []
    cards = []
    items = file.data["cards"] if isinstance(file.data["cards"], list) else []
    if not items:
        file.error(
            file.line("cards"), "`cards` must be a non-empty list of {id, concept, front, back}."
        )
    fields = {"id": "a UUID", "concept": "a concept slug", "front": "Markdown", "back": "Markdown"}
    for i, card in enumerate(items):
        if not check_fields(file, card, fields, {}, "cards", i):
            continue
        try:
            card_id = uuid.UUID(str(card["id"]))
        except ValueError:
            file.error(file.line("cards", i, "id"), f"{card['id']!r} is not a UUID.")
            continue
        if not isinstance(card["concept"], str) or card["concept"] not in concepts:
            file.error(file.line("cards", i, "concept"), f"unknown concept {card['concept']!r}.")
        sides = {}
        for side in ("front", "back"):
            text = card[side]
            if not isinstance(text, str) or not text.strip():
                file.error(file.line("cards", i, side), f"`{side}` must be non-empty text.")
                text = ""
            for problem, words in prose_problems(text):
                line = file.line_of_words(file.line("cards", i, side), words)
                file.error(line, f"`{side}` {problem}.")
            sides[side] = text.strip()
        cards.append(CardSource(id=card_id, concept=card["concept"], **sides))
    return cards


def _read_experiment(path: Path, errors: list[ContentError]) -> ExperimentSource | None:
    file = YamlFile(path, errors)
    data = file.data
    if data is None or not check_fields(file, data, EXPERIMENT_REQUIRED, EXPERIMENT_OPTIONAL):
        return None
    before = len(errors)
    try:
        experiment_id = uuid.UUID(str(data["id"]))
    except ValueError:
        file.error(file.line("id"), f"{data['id']!r} is not a UUID.")
        experiment_id = None
    site_path = path.parent / str(data["site"])
    site = ""
    if not site_path.is_file():
        file.error(file.line("site"), f"site file {data['site']!r} not found in {path.parent}.")
    else:
        site = site_path.read_text(encoding="utf-8")
        try:
            compile(site, str(site_path), "exec")
        except SyntaxError as exc:
            errors.append(ContentError(site_path, exc.lineno or 1, f"syntax error: {exc.msg}."))
    endpoints = data["endpoints"]
    if (
        not isinstance(endpoints, list)
        or not endpoints
        or not all(
            isinstance(e, dict) and set(e) == {"path", "label"} and str(e["path"]).startswith("/")
            for e in endpoints
        )
    ):
        file.error(file.line("endpoints"), "`endpoints` must be a list of {path: /..., label}.")
    servers = data["servers"]
    if not isinstance(servers, list) or not servers or any(s not in SERVERS for s in servers):
        file.error(file.line("servers"), f"`servers` must be a list from: {', '.join(SERVERS)}.")
    parameters = data["parameters"] if isinstance(data["parameters"], dict) else {}
    if "requests" not in parameters:
        file.error(file.line("parameters"), "`parameters` must include `requests`.")
    for name, bounds in parameters.items():
        where = file.line("parameters", name)
        if name not in PARAMETER_LIMITS:
            file.error(where, f"unknown parameter {name!r}; use {', '.join(PARAMETER_LIMITS)}.")
        elif not isinstance(bounds, dict) or set(bounds) != {"default", "min", "max"}:
            file.error(where, f"`{name}` must be {{default, min, max}}.")
        elif (
            not all(
                isinstance(bounds[b], int | float) and not isinstance(bounds[b], bool)
                for b in bounds
            )
            or not 0 < bounds["min"] <= bounds["default"] <= bounds["max"] <= PARAMETER_LIMITS[name]
        ):
            file.error(
                where,
                f"`{name}` needs 0 < min <= default <= max <= {PARAMETER_LIMITS[name]}.",
            )
    probe = data.get("probe")
    if probe is not None and not (
        isinstance(probe, dict)
        and set(probe) == {"path", "after", "label"}
        and str(probe["path"]).startswith("/")
        and isinstance(probe["after"], int | float)
        and 0 <= probe["after"] <= 3
    ):
        file.error(file.line("probe"), "`probe` must be {path: /..., after: 0 to 3 s, label}.")
    tally = data.get("tally")
    if tally is not None and not (
        isinstance(tally, dict)
        and set(tally) == {"path", "label"}
        and str(tally["path"]).startswith("/")
        and isinstance(tally["label"], str)
        and tally["label"].strip()
    ):
        file.error(file.line("tally"), "`tally` must be {path: /..., label}.")
    database = read_database(file, data)
    models = _read_models(path, file, data)
    if "rows" in parameters and not (models and defines(site, "seed")):
        file.error(
            file.line("parameters", "rows"),
            "`rows` needs `models`, and a function seed(rows) in the site that makes them.",
        )
    elif defines(site, "seed") and not models:
        file.error(file.line("site"), "the site defines seed(), which makes rows: add `models`.")
    predict = data.get("predict", [])  # empty: the default, see lab.experiments.predictions
    if "predict" in data and (
        not isinstance(predict, list)
        or not predict
        or not all(name in PREDICTIONS for name in predict)
        or ("probe" in predict and not probe)
        or ("queries" in predict and not models)
        or ("tally" in predict and not tally)
    ):
        file.error(
            file.line("predict"),
            f"`predict` must be a list from {', '.join(PREDICTIONS)}; probe needs a `probe`, "
            "queries needs `models`, tally needs a `tally`.",
        )
    middleware = data.get("middleware")
    if middleware is not None and (
        not isinstance(middleware, list) or not all(isinstance(m, str) for m in middleware)
    ):
        file.error(file.line("middleware"), "`middleware` must be a list of dotted paths.")
    summary = data["summary"] if isinstance(data["summary"], str) else ""
    for problem, words in prose_problems(summary):
        file.error(file.line_of_words(file.line("summary"), words), f"`summary` {problem}.")
    question = data["question"] if isinstance(data["question"], str) else ""
    if not question.strip():
        file.error(file.line("question"), "`question` must be non-empty text.")
    reading = _read_reading(path, file)
    if len(errors) > before:
        return None
    return ExperimentSource(
        question=question.strip(),
        reading=reading,
        folder=path.parent,
        slug=path.parent.name,
        id=experiment_id,
        title=str(data["title"]),
        summary=summary,
        site=site,
        endpoints=endpoints,
        servers=servers,
        parameters=parameters,
        middleware=middleware,
        database=database,
        probe=probe,
        models=models,
        predict=predict,
        tally=tally,
    )


def _read_models(path: Path, file: YamlFile, data: dict) -> str:
    """The code of the file `models` names, or "" (and an error when it is missing)."""
    if "models" not in data:
        return ""
    models_path = path.parent / str(data["models"])
    if not models_path.is_file():
        file.error(file.line("models"), f"models file {data['models']!r} not found.")
        return ""
    code = models_path.read_text(encoding="utf-8")
    try:
        compile(code, str(models_path), "exec")
    except SyntaxError as exc:
        file.errors.append(ContentError(models_path, exc.lineno or 1, f"syntax error: {exc.msg}."))
    return code


def _read_reading(path: Path, file: YamlFile) -> str:
    """reading.py beside experiment.yaml: it must define `reading(run) -> str`, which the lab
    calls in the sandbox to put a measured run into one sentence."""
    reading_path = path.parent / "reading.py"
    if not reading_path.is_file():
        file.error(1, f"reading.py not found in {path.parent}: define reading(run) -> str there.")
        return ""
    code = reading_path.read_text(encoding="utf-8")
    try:
        ast.parse(code, str(reading_path))
    except SyntaxError as exc:
        file.errors.append(ContentError(reading_path, exc.lineno or 1, f"syntax error: {exc.msg}."))
        return ""
    if not defines(code, "reading"):
        file.errors.append(ContentError(reading_path, 1, "define a function reading(run) -> str."))
    return code


def _check_references(source: PatternSource, errors: list[ContentError]) -> None:
    experiments = {e.slug: e for e in source.experiments}
    for q in source.questions:
        if q.cites is None:
            continue
        experiment = experiments.get(q.cites["experiment"])
        if experiment is None:
            q.file.error(
                q.file.line("cites", "experiment"),
                f"cites lab experiment {q.cites['experiment']!r}, which is not in "
                f"{source.folder / 'lab'} (there: {', '.join(sorted(experiments)) or 'none'}).",
            )
            continue
        for name, spec in q.cites["facts"].items():
            if problem := citation_problem(experiment, spec):
                q.file.error(q.file.line("cites", "facts", name), f"fact `{name}`: {problem}")
        named = set(q.cites["facts"])
        for i, option in enumerate(q.options):
            if unknown := set(option["observed"]) - named:
                q.file.error(
                    q.file.line("options", i, "observed"),
                    f"claims {', '.join(sorted(unknown))}, which `cites` does not measure.",
                )


def _check_pools(source: PatternSource, errors: list[ContentError]) -> None:
    where = source.folder / "questions"
    for pool, size in POOL_SIZES.items():
        count = len(source.pool(pool))
        if 0 < count < size:
            errors.append(ContentError(where, 1, f"the {pool} pool has {count} questions; "
                                       f"its mode needs at least {size}."))  # fmt: skip
    challenge = source.pool("challenge")
    for category in CATEGORIES if challenge else ():
        slot = [q for q in challenge if q.category == category]
        difficulties = sorted({q.difficulty for q in slot})
        if len(slot) < CHALLENGE_PER_CATEGORY or len(difficulties) > 1:
            errors.append(ContentError(where, 1, f"the challenge pool needs at least "
                f"{CHALLENGE_PER_CATEGORY} {category} problems, all of one difficulty, so a "
                f"new challenge never asks what an earlier one revealed; it has {len(slot)} "
                f"({', '.join(difficulties) or 'none'})."))  # fmt: skip
    test = Counter(q.difficulty for q in source.pool("test"))
    short = {d: test[d] for d in TEST_MIX if test[d] < TEST_PER_DIFFICULTY}
    if test and short:
        errors.append(ContentError(where, 1, f"the test pool needs at least "
                                   f"{TEST_PER_DIFFICULTY} questions per difficulty; it has "
                                   f"{dict(test)}."))  # fmt: skip


def _key_places(q: QuestionSource) -> list[tuple[int, int]]:
    """Where the key is written among the options, as (index, how many options); per blank
    for a blank question, its first item for an order question, nothing for a multiple."""
    ids = [o["id"] for o in q.options]
    if q.kind == "single":
        return [(ids.index(q.key), len(ids))]
    if q.kind == "order":
        return [(ids.index(q.key[0]), len(ids))]
    if q.kind == "blank":
        groups = {name: [o["id"] for o in q.options if o["blank"] == name] for name in q.key}
        return [(groups[name].index(option), len(groups[name])) for name, option in q.key.items()]
    return []


def _chance_of_at_least(count: int, chances: list[float]) -> float:
    """The chance of `count` or more successes in independent trials with these chances."""
    spread = [1.0]  # spread[k]: the chance of exactly k successes so far
    for p in chances:
        spread = [a * (1 - p) + b * p for a, b in zip([*spread, 0.0], [0.0, *spread], strict=True)]
    return sum(spread[count:])


def key_place_warnings(source: PatternSource) -> list[str]:
    """Pools that write the key in one place far more often than chance would. Every mode
    shuffles options when it shows them, but a habit such as listing the key first would give
    keys away wherever the written order shows (an export, a future mode)."""
    warnings = []
    for pool in POOLS:
        places = [place for q in source.pool(pool) for place in _key_places(q)]
        for index in range(max((n for _i, n in places), default=0)):
            count = sum(i == index for i, _n in places)
            chance = _chance_of_at_least(count, [1 / n for _i, n in places if n > index])
            if chance < KEY_PLACE_CHANCE:
                warnings.append(
                    f"the {pool} pool writes the key as option {index + 1} in {count} of "
                    f"{len(places)} places, which chance would do about once in "
                    f"{round(1 / chance):,} pools; vary where the key is written."
                )
    return warnings


def _identities(source: PatternSource):
    """Every (kind, id, where) a pattern defines; UUIDs must be unique across all content."""
    yield "uuid", source.uuid, source.folder / "pattern.yaml"
    for q in source.questions:
        yield "uuid", q.id, q.file.path
    for trace in source.traces:
        yield "uuid", trace.id, trace.file.path
        for item in trace.quiz:
            yield "uuid", str(item["id"]), trace.file.path
    for card in source.cards:
        yield "uuid", card.id, source.folder / "review" / "flashcards.yaml"
    for experiment in source.experiments:
        yield "uuid", experiment.id, experiment.folder / "experiment.yaml"
    if source.project:
        yield "uuid", source.project.id, source.project.file.path
    yield "slug", source.slug, source.folder / "pattern.yaml"


def load_tree(root: Path) -> tuple[list[PatternSource], list[ContentError]]:
    errors: list[ContentError] = []
    if not root.is_dir():
        return [], [ContentError(root, 1, "content folder not found.")]
    patterns = []
    for pattern_yaml in sorted(root.glob("*/*/pattern.yaml")):
        source = _read_pattern(pattern_yaml, errors)
        if source:
            patterns.append(source)
    seen: dict[tuple[str, str], Path] = {}
    for source in patterns:
        for kind, value, path in _identities(source):
            first = seen.setdefault((kind, str(value)), path)
            if first != path:
                errors.append(ContentError(path, 1, f"duplicate {kind} {value} (also in "
                                           f"{first}); each needs its own."))  # fmt: skip
    if not patterns and not errors:
        errors.append(ContentError(root, 1, "no <track>/<pattern>/pattern.yaml found."))
    return patterns, errors
