"""Questions and Visualize traces as authors write them, and the rules each file must follow.

docs/authoring.md describes the format; every rule here reports file, line and the fix, and
reading goes on after an error so the author sees every problem at once.
"""

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from codedrill.content.proofs import BLANK_RE
from codedrill.content.setups import Setup, read_setup
from codedrill.content.yamlfile import YamlFile, check_fields

KINDS = ("single", "multiple", "order", "short", "blank")
CATEGORIES = ("conceptual", "component-behaviour", "syntax", "state-output", "debug")
POOLS = ("try", "practice", "challenge", "test", "review")
DIFFICULTIES = ("easy", "medium", "hard")
CHALLENGE_DIFFICULTIES = ("intermediate", "advanced", "expert")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

QUESTION_REQUIRED = {
    "id": "a UUID, the question's identity",
    "kind": f"one of {', '.join(KINDS)}",
    "difficulty": f"one of {', '.join(DIFFICULTIES + CHALLENGE_DIFFICULTIES)}",
    "category": f"one of {', '.join(CATEGORIES)}",
    "concepts": "a list of concept slugs from pattern.yaml",
    "pools": f"a list of pools: {', '.join(POOLS)}",
    "stem": "the question, in Markdown",
    "key": "the right answer (see docs/authoring.md for each kind)",
    "hint": "a nudge that does not give the answer away",
    "solution": "2 to 4 steps, in Markdown",
    "mistakes": "for each distractor: {option, why}",
    "rule": "the one-line takeaway the learner sees as the quick check",
}
QUESTION_OPTIONAL = {
    "setup": "the knobs of every server the proof runs: {server, workers, threads, ...}",
    "code": "the code shown to the learner, run by the proof",
    "options": "the choices, each {id, text, observed}",
    "works": "for a blank question: the facts a working program reports",
    "proof": "the proof's file name in this folder, e.g. proof.py",
    "cites": "{experiment, facts}: the lab runs whose observations decide the key",
    "unproven": "why nothing decides the key yet (`codedrill import` sets it); replace it "
    "with a `proof` or `cites`",
}
TRACE_REQUIRED = {
    "id": "a UUID, the trace's identity",
    "title": "the trace's title",
    "setup": "the knobs of the server the trace runs on",
    "flow": "the concept flow, a list of short steps",
    "code": "the code stepped through",
    "steps": "the execution table: a list of {line, says, variables, event}",
    "moments": "a list of key moments",
    "quiz": "exactly 3 single-choice questions about the table",
    "proof": "the proof's file name in this folder",
}

# An option named by its letter: "option B", "the answer is C", "Pick B.", "Correct: **B**.",
# "B is correct", "= D", "(A) ". A bare "A" before a word is the article, so B-F may be followed
# by anything but "A" only by punctuation, the end or markup.
_LETTER = r"(?:[*_\"'(\[]*(?:[B-F]|A(?=[*_\"')\]]*(?:[.,;:!?)]|$)))[*_\"')\]]*)"
_END = r"(?=[\s.,;:!?)]|$)"
LETTER_RES = [
    re.compile(
        r"\b(?i:options?|choices?|answers?|letters?|pick|choose|select|key|correct"
        r"(?:\s+(?:answer|option|choice|one))?)(?:\s+(?i:is|was|would\s+be))?\s*[:=]?\s*"
        + _LETTER
        + _END
    ),
    re.compile(
        r"(?:^|[\s(:])[*_\"'(]*[A-F][*_\"')]*\s+(?i:is|was)\s+(?i:the\s+)?"
        r"(?i:correct|right|wrong|incorrect|answer|key|one\s+to\s+pick)\b"
    ),
    re.compile(r"\*\*\(?[A-F]\)?\*\*|__[A-F]__"),
    re.compile(r"=\s*\(?[A-F]\)?" + _END),
    re.compile(r"(?:^|\s)\(?[A-F]\)\s"),
]
CODE_RE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
RAW_HTML_RE = re.compile(r"<\s*/?\s*([a-zA-Z][\w-]*)[^>]*>|\]\(\s*javascript:", re.I)


def prose_problems(text: str) -> list[tuple[str, str]]:
    """What is wrong with a piece of author prose (option letters, raw HTML), each problem
    with the words that show it, so a message can point at their line."""
    prose = CODE_RE.sub(" ", text)
    problems = []
    for regex in LETTER_RES:
        if match := regex.search(prose):
            words = match.group(0).strip()
            problems.append((
                f"names an option by its letter ({words!r}); options are shuffled and "
                "lettered per learner, so refer to an option by what it says",
                words,
            ))  # fmt: skip
            break
    if match := RAW_HTML_RE.search(prose):
        problems.append((
            f"contains raw HTML or a script link ({match.group(0)[:30]!r}), which publishing "
            "would strip; write Markdown instead",
            match.group(0),
        ))  # fmt: skip
    return problems


@dataclass
class QuestionSource:
    folder: Path
    file: YamlFile
    slug: str
    id: uuid.UUID
    kind: str
    difficulty: str
    category: str
    concepts: list[str]
    pools: list[str]
    stem: str
    key: object
    hint: str
    solution: list[str]
    mistakes: list[dict]
    rule: str = ""
    setup: Setup | None = None
    code: str = ""
    options: list[dict] = field(default_factory=list)
    works: dict | None = None
    proof: str | None = None
    cites: dict | None = None  # {experiment: slug, facts: {name: run}}, checked by the loader
    unproven: str | None = None  # why no proof or citation decides the key yet

    def blanks(self) -> list[str]:
        return list(dict.fromkeys(BLANK_RE.findall(self.code)))


@dataclass
class TraceSource:
    folder: Path
    file: YamlFile
    slug: str
    id: uuid.UUID
    title: str
    setup: Setup | None
    flow: list[str]
    code: str
    steps: list[dict]
    moments: list[str]
    quiz: list[dict]
    proof: str


def _uuid(file: YamlFile, value, *where) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        file.error(file.line(*where), f"{value!r} is not a UUID; make one with uuid.uuid4().")
        return None


def _name(where) -> str:
    """How to name a field in a message: `stem`, or `solution` item 2."""
    if isinstance(where[-1], int):
        return f"`{where[-2]}` item {where[-1] + 1}"
    return f"`{where[-1]}`"


def _text(file: YamlFile, value, *where) -> str:
    if not isinstance(value, str) or not value.strip():
        file.error(file.line(*where), f"{_name(where)} must be non-empty text.")
        return ""
    for problem, words in prose_problems(value):
        file.error(file.line_of_words(file.line(*where), words), f"{_name(where)} {problem}.")
    return value.strip()


def _rule(file: YamlFile, value) -> str:
    text = _text(file, value, "rule")
    if text and ("\n" in text or len(text) > 200):
        file.error(
            file.line("rule"),
            "`rule` is one line of at most 200 characters: the takeaway to remember.",
        )
    return text


def _texts(file: YamlFile, value, *where, least=1, most=99) -> list[str]:
    if not isinstance(value, list) or not least <= len(value) <= most:
        span = f"{least} to {most}" if most < 99 else f"at least {least}"
        file.error(file.line(*where), f"`{where[-1]}` must be a list of {span} items.")
        return []
    return [_text(file, item, *where, i) for i, item in enumerate(value)]


def _choice(file: YamlFile, value, allowed, *where) -> str:
    if value not in allowed:
        file.error(
            file.line(*where), f"`{where[-1]}` is {value!r}; use one of {', '.join(allowed)}."
        )
        return ""
    return value


def _observed(file: YamlFile, option: dict, kind: str, *where) -> None:
    value = option.get("observed")
    if kind == "order":
        if not isinstance(value, str) or not value:
            file.error(file.line(*where), "`observed` of an order item must be a text token.")
    elif not isinstance(value, dict) or not value:
        file.error(
            file.line(*where),
            "`observed` must be a mapping of the facts this option stands for, e.g. "
            "{seconds: 3}; the proof reports them with observe(seconds=...).",
        )


def _options(file: YamlFile, data: dict, kind: str, proven: bool) -> list[dict]:
    """The options; those of an unproven question need not claim `observed` facts yet."""
    options = data.get("options")
    if kind == "short":
        if options is not None:
            file.error(file.line("options"), "a `short` question has no options; remove them.")
        return []
    if not isinstance(options, list) or len(options) < 2:
        file.error(file.line("options"), f"a `{kind}` question needs a list of 2 or more options.")
        return []
    before = len(file.errors)
    fields = {"id": "a short id", "text": "what the learner sees"}
    observed = {"observed": "its facts"}
    fields |= {"blank": "the blank it fills"} if kind == "blank" else observed if proven else {}
    seen_ids, seen_texts = set(), {}
    for i, option in enumerate(options):
        if not isinstance(option, dict):
            file.error(file.line("options", i), "each option must be a mapping {id, text, ...}.")
            continue
        if not check_fields(file, option, fields, {} if proven else observed, "options", i):
            continue
        if not isinstance(option["id"], str) or not ID_RE.match(option["id"]):
            file.error(
                file.line("options", i, "id"),
                f"option id {option['id']!r} must be lowercase-words-with-hyphens.",
            )
            continue
        if option["id"] in seen_ids:
            file.error(file.line("options", i, "id"), f"duplicate option id {option['id']!r}.")
        seen_ids.add(option["id"])
        if kind == "blank":
            if not isinstance(option["text"], str):
                file.error(file.line("options", i, "text"), "a blank's `text` is code, as text.")
            option["blank"] = str(option["blank"])
        else:
            option["text"] = _text(file, option["text"], "options", i, "text")
            if proven or "observed" in option:
                _observed(file, option, kind, "options", i)
        normal = " ".join(str(option["text"]).split()).lower()
        group = option.get("blank", "")
        if (group, normal) in seen_texts:
            file.error(
                file.line("options", i, "text"),
                f"duplicate option: same text as option {seen_texts[(group, normal)]!r}.",
            )
        seen_texts[(group, normal)] = option["id"]
    if len(file.errors) > before:
        return []  # the checks below need every option well formed
    if kind not in ("order", "blank"):
        facts = [repr(sorted(o["observed"].items(), key=repr)) for o in options if _has_facts(o)]
        if len(facts) != len(set(facts)):
            file.error(
                file.line("options"),
                "two options claim the same `observed` facts; no proof could tell them apart.",
            )
    if kind == "order" and proven:
        tokens = [o.get("observed") for o in options]
        if len(tokens) != len(set(map(str, tokens))):
            file.error(file.line("options"), "order items need distinct `observed` tokens.")
    return options


def _strings(value) -> bool:
    """A list of text items: what a YAML list of slugs or ids must be."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _has_facts(option) -> bool:
    return isinstance(option, dict) and isinstance(option.get("observed"), dict)


def _key(file: YamlFile, q: QuestionSource) -> None:
    ids = [o["id"] for o in q.options if isinstance(o, dict) and "id" in o]
    key, line = q.key, file.line("key")
    if q.kind == "single":
        if key not in ids:
            file.error(line, f"`key` must be one option id ({', '.join(ids)}), not {key!r}.")
    elif q.kind == "multiple":
        if not _strings(key) or not key or any(k not in ids for k in key):
            file.error(line, f"`key` must be a list of option ids from: {', '.join(ids)}.")
        elif len(set(key)) != len(key):
            file.error(line, "`key` lists an option twice.")
    elif q.kind == "order":
        if not isinstance(key, list) or sorted(map(str, key)) != sorted(ids):
            file.error(line, f"`key` must list every option id once, in order: {', '.join(ids)}.")
    elif q.kind == "short":
        if not isinstance(key, str | int | float) or not str(key).strip():
            file.error(line, "`key` of a short question is the expected answer, as text.")
        else:
            q.key = str(key)
    elif q.kind == "blank":
        _blank_key(file, q)


def _blank_key(file: YamlFile, q: QuestionSource) -> None:
    blanks = q.blanks()
    line = file.line("key")
    if not blanks:
        file.error(file.line("code"), "a blank question's `code` needs blanks written `___1___`.")
        return
    if not isinstance(q.key, dict):
        file.error(line, 'a blank question\'s `key` maps each blank to an option: {"1": await}.')
        return
    q.key = {str(k): v for k, v in q.key.items()}
    if not _strings(list(q.key.values())):
        file.error(line, "each blank's key must be an option id.")
        return
    for blank in blanks:
        choices = [o["id"] for o in q.options if o.get("blank") == blank]
        if len(choices) < 2:
            file.error(file.line("options"), f"blank `{blank}` needs at least 2 options.")
        if q.key.get(blank) not in choices:
            file.error(line, f"`key` must name an option of blank `{blank}`: {choices}.")
    for extra in set(q.key) - set(blanks):
        file.error(line, f"`key` names blank `{extra}`, which is not in the code.")
    for i, option in enumerate(q.options):
        if option.get("blank") not in blanks:
            file.error(file.line("options", i), f"option fills blank {option.get('blank')!r}, "
                       "which is not in the code.")  # fmt: skip
    if not isinstance(q.works, dict) or not q.works:
        file.error(file.line("works"), "a blank question needs `works`: the facts of a working "
                   "program, e.g. {status: 200}.")  # fmt: skip


def distractors(q: QuestionSource) -> list[str]:
    if q.kind == "single":
        return [o["id"] for o in q.options if o["id"] != q.key]
    if q.kind == "multiple":
        return [o["id"] for o in q.options if o["id"] not in q.key]
    if q.kind == "blank":
        return [o["id"] for o in q.options if q.key.get(o["blank"]) != o["id"]]
    return []


def _mistakes(file: YamlFile, q: QuestionSource) -> None:
    if not isinstance(q.mistakes, list):
        file.error(file.line("mistakes"), "`mistakes` must be a list of {option, why}.")
        q.mistakes = []
        return
    named = set()
    ids = {o["id"] for o in q.options}
    for i, mistake in enumerate(q.mistakes):
        target = "answer" if q.kind == "short" else "option"
        if not check_fields(
            file, mistake, {target: f"the {target} this mistake is about", "why": "why"}, {},
            "mistakes", i,
        ):  # fmt: skip
            continue
        mistake["why"] = _text(file, mistake["why"], "mistakes", i, "why")
        if q.kind == "short":
            mistake["answer"] = str(mistake["answer"])
            continue
        option = mistake["option"]
        if not isinstance(option, str) or option not in ids:
            file.error(file.line("mistakes", i, "option"), f"{option!r} is not an option id.")
        elif q.kind != "order" and option not in distractors(q):
            file.error(file.line("mistakes", i, "option"), f"{option!r} is the key, not a mistake.")
        named.add(option)
    for option in distractors(q):
        if option not in named:
            file.error(
                file.line("mistakes"),
                f"distractor {option!r} has no mistake: say why it is tempting and why it is "
                "wrong.",
            )
    if q.kind == "short" and not q.mistakes:
        file.error(file.line("mistakes"), "a short question needs at least one wrong `answer`.")


def read_question(path: Path, concepts: set[str], errors: list) -> QuestionSource | None:
    file = YamlFile(path, errors)
    data = file.data
    if data is None or not check_fields(file, data, QUESTION_REQUIRED, QUESTION_OPTIONAL):
        return None
    before = len(errors)
    kind = _choice(file, data["kind"], KINDS, "kind")
    pools = data["pools"]
    if not _strings(pools) or not pools or any(p not in POOLS for p in pools):
        file.error(file.line("pools"), f"`pools` must be a list from: {', '.join(POOLS)}.")
        pools = []
    allowed = CHALLENGE_DIFFICULTIES if "challenge" in pools else DIFFICULTIES
    if "challenge" in pools and len(pools) > 1:
        file.error(file.line("pools"), "a challenge problem belongs to the challenge pool only.")
    if "test" in pools and {"practice", "challenge"} & set(pools):
        file.error(file.line("pools"), "test questions are kept apart from practice/challenge.")
    if ("try" in pools) != (kind == "blank"):
        file.error(file.line("pools"), "the `try` pool holds `blank` questions, and only it.")
    question_concepts = data["concepts"]
    if not _strings(question_concepts) or not question_concepts:
        file.error(file.line("concepts"), "`concepts` must be a non-empty list of concept slugs.")
        question_concepts = []
    for i, concept in enumerate(question_concepts):
        if concept not in concepts:
            file.error(
                file.line("concepts", i),
                f"unknown concept {concept!r}; pattern.yaml has: {', '.join(sorted(concepts))}.",
            )
    code = data.get("code") or ""
    if not isinstance(code, str):
        file.error(file.line("code"), "`code` must be text (use `code: |`).")
        code = ""
    q = QuestionSource(
        folder=path.parent,
        file=file,
        slug=path.parent.name,
        id=_uuid(file, data["id"], "id"),
        kind=kind,
        difficulty=_choice(file, data["difficulty"], allowed, "difficulty"),
        category=_choice(file, data["category"], CATEGORIES, "category"),
        concepts=question_concepts,
        pools=pools,
        stem=_text(file, data["stem"], "stem"),
        key=data["key"],
        hint=_text(file, data["hint"], "hint"),
        solution=_texts(file, data["solution"], "solution", least=2, most=4),
        mistakes=data["mistakes"],
        rule=_rule(file, data["rule"]),
        setup=read_setup(file, data["setup"], "setup") if "setup" in data else None,
        code=code,
        works=data.get("works"),
        proof=data.get("proof"),
        cites=data.get("cites"),
        unproven=data.get("unproven"),
    )
    if not kind:
        return None
    q.options = _options(file, data, kind, proven=q.unproven is None)
    if "works" in data and kind != "blank":
        file.error(file.line("works"), "`works` is only for blank questions.")
    if len(errors) == before:
        _key(file, q)
    if len(errors) == before:
        _mistakes(file, q)
    _proof_or_cite(file, q)
    if q.cites is not None and kind not in ("single", "multiple"):
        file.error(file.line("cites"), "only `single` and `multiple` questions can cite; "
                   "give the others a proof.")  # fmt: skip
    if not ID_RE.match(q.slug):
        file.error(1, f"folder name {q.slug!r} must be lowercase-words-with-hyphens.")
    return q if len(errors) == before else None


def _proof_or_cite(file: YamlFile, item) -> None:
    proof, cites = item.proof, getattr(item, "cites", None)
    unproven = getattr(item, "unproven", None)
    if unproven is not None:
        if not (isinstance(unproven, str) and unproven.strip()):
            file.error(file.line("unproven"), "`unproven` says why, as text.")
        elif proof is not None or cites is not None:
            file.error(file.line("unproven"), "remove `unproven` now that a proof or citation "
                       "decides the key.")  # fmt: skip
        return
    if proof is not None and not (isinstance(proof, str) and proof.strip()):
        file.error(file.line("proof"), "`proof` must be a file name, as text.")
        return
    if cites is not None and proof is not None:
        file.error(file.line("cites"), "give a `proof` or `cites`, not both.")
    if cites is not None and not (
        isinstance(cites, dict)
        and set(cites) == {"experiment", "facts"}
        and isinstance(cites["experiment"], str)
        and isinstance(cites["facts"], dict)
        and cites["facts"]
    ):
        file.error(
            file.line("cites"),
            "`cites` names the lab experiment and the runs whose observations decide the key: "
            "{experiment: <slug>, facts: {<fact>: {server, endpoint, measure, ...}}}.",
        )
        item.cites = None
        return
    if proof is not None and not (item.folder / str(proof)).is_file():
        file.error(file.line("proof"), f"proof file {proof!r} not found in {item.folder}.")
    if getattr(item, "code", "") and proof is None:
        file.error(file.line("code"), "a question with `code` needs a `proof` that runs it.")
    if proof is None and cites is None:
        file.error(1, "add a `proof`, or `cites:` a lab experiment that shows the claim.")


def read_trace(path: Path, errors: list) -> TraceSource | None:
    file = YamlFile(path, errors)
    data = file.data
    if data is None or not check_fields(file, data, TRACE_REQUIRED, {}):
        return None
    before = len(errors)
    code = data["code"] if isinstance(data["code"], str) else ""
    lines = len(code.splitlines())
    if not lines:
        file.error(file.line("code"), "`code` must be the code stepped through, as text.")
    steps = data["steps"] if isinstance(data["steps"], list) else []
    if len(steps) < 3:
        file.error(file.line("steps"), "`steps` must be a list of at least 3 table rows.")
    step_fields = {"line": "the current line of `code`", "says": "what happens"}
    step_optional = {"event": "the event token the proof checks", "variables": "tracked values"}
    for i, step in enumerate(steps):
        if not check_fields(file, step, step_fields, step_optional, "steps", i):
            continue
        if not isinstance(step["line"], int) or not 1 <= step["line"] <= lines:
            file.error(file.line("steps", i, "line"), f"`line` must be 1 to {lines}.")
        step["says"] = _text(file, step["says"], "steps", i, "says")
        if not isinstance(step.get("event", ""), str):
            file.error(file.line("steps", i, "event"), "`event` must be a text token.")
        if not isinstance(step.get("variables", {}), dict):
            file.error(file.line("steps", i, "variables"), "`variables` must be a mapping.")
    if not any(isinstance(s, dict) and s.get("event") for s in steps):
        file.error(file.line("steps"), "no step has an `event`; the proof has nothing to check.")
    quiz = data["quiz"] if isinstance(data["quiz"], list) else []
    if len(quiz) != 3:
        file.error(file.line("quiz"), "`quiz` must hold exactly 3 questions.")
    quiz_fields = {"id": "a UUID", "stem": "the question", "options": "choices", "key": "the id",
                   "solution": "1 to 3 steps"}  # fmt: skip
    for i, item in enumerate(quiz):
        if not check_fields(file, item, quiz_fields, {}, "quiz", i):
            continue
        _uuid(file, item["id"], "quiz", i, "id")
        item["stem"] = _text(file, item["stem"], "quiz", i, "stem")
        item["solution"] = _texts(file, item["solution"], "quiz", i, "solution", most=3)
        options = item["options"] if isinstance(item["options"], list) else []
        ids = []
        for j, option in enumerate(options):
            if not check_fields(
                file, option, {"id": "id", "text": "text", "observed": "facts"}, {},
                "quiz", i, "options", j,
            ):  # fmt: skip
                continue
            option["text"] = _text(file, option["text"], "quiz", i, "options", j, "text")
            _observed(file, option, "single", "quiz", i, "options", j)
            ids.append(str(option["id"]))
        if len(options) < 2 or len(set(ids)) != len(ids):
            file.error(file.line("quiz", i, "options"), "needs 2 or more options, distinct ids.")
        if str(item["key"]) not in ids or not isinstance(item["key"], str):
            file.error(file.line("quiz", i, "key"), f"`key` must be one of {ids}.")
    trace = TraceSource(
        folder=path.parent,
        file=file,
        slug=path.parent.name,
        id=_uuid(file, data["id"], "id"),
        title=_text(file, data["title"], "title"),
        setup=read_setup(file, data["setup"], "setup"),
        flow=_texts(file, data["flow"], "flow", least=2),
        code=code,
        steps=steps,
        moments=_texts(file, data["moments"], "moments"),
        quiz=quiz,
        proof=data["proof"],
    )
    _proof_or_cite(file, trace)
    return trace if len(errors) == before else None
