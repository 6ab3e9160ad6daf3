"""Read a pattern's project/ folder (docs/authoring.md, "Project"): project.yaml, the starter,
the tests the learner reads and those they do not, the reference solution and the wrong ones.
`codedrill check` then proves it in the sandbox (`judge_project`)."""

import ast
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from codedrill.content.questions import prose_problems
from codedrill.content.setups import read_database
from codedrill.content.yamlfile import ContentError, YamlFile, check_fields

FILE_NAME = re.compile(r"^[a-z][a-z0-9_]*\.py$")
# The most a project may ask for, and what it gets when it says nothing (issue 16).
LIMITS = {"wall_seconds": 15, "memory_mb": 512, "output_kb": 1024}
FILE_BYTES = 64 * 1024  # the most text one learner file may hold
PROJECT_FIELDS = {
    "id": "a UUID",
    "title": "the project's title",
    "goal": "what the learner sets out to do, in Markdown",
    "site": "the starter file that defines `urlpatterns`, e.g. site.py",
    "steps": "a list of {slug, title, tests, hint, explanation}",
}
PROJECT_OPTIONAL = {
    "limits": "see LIMITS",
    "models": "the starter file holding the models (the app `lab_app`); brings an SQLite database",
    "seed": "Python run once the tables are made, before a server starts: the rows tests read",
    "database": "sqlite (the default with `models`) or postgresql: a PostgreSQL database",
}
STEP_FIELDS = {
    "slug": "lowercase-words-with-hyphens",
    "title": "what the step asks, in a few words",
    "tests": "the names of the tests that decide it",
    "hint": "Markdown, shown when the learner asks",
    "explanation": "Markdown, shown when the step passes",
}


@dataclass
class ProjectSource:
    folder: Path
    file: YamlFile
    id: uuid.UUID
    title: str
    goal: str
    site: str
    steps: list[dict]
    limits: dict[str, int]
    starter: dict[str, str] = field(default_factory=dict)
    solution: dict[str, str] = field(default_factory=dict)
    visible_tests: dict[str, str] = field(default_factory=dict)
    hidden_tests: dict[str, str] = field(default_factory=dict)
    wrong: dict[str, dict] = field(default_factory=dict)  # name -> {step, why, files}
    models_file: str = ""  # the starter file that holds the models, if the site has a database
    seed: str = ""  # the author's code that writes the rows, never the learner's
    database: str = ""  # "postgresql", "sqlite", or "": SQLite when there are models
    slug: str = "project"

    def hidden_names(self) -> set[str]:
        return set(_test_names(self.hidden_tests, self.folder, []))

    def variants(self) -> dict[str, dict[str, str]]:
        """The learner files `codedrill check` runs: the starter, the solution, and each wrong
        solution (the solution with the wrong one's files in place)."""
        found = {"starter": self.starter, "solution": self.solution}
        for name, wrong in self.wrong.items():
            found[f"wrong/{name}"] = {**self.solution, **wrong["files"]}
        return found


def _python_files(folder: Path, errors: list[ContentError], what: str) -> dict[str, str]:
    files = {}
    if not folder.is_dir():
        return files
    for path in sorted(folder.iterdir()):
        if path.name in ("wrong.yaml", "__pycache__"):
            continue
        if not path.is_file() or not FILE_NAME.match(path.name):
            errors.append(
                ContentError(
                    path,
                    1,
                    f"{what} holds only Python files named like "
                    "`views.py` (lowercase, no folders).",
                )
            )
            continue
        text = path.read_text(encoding="utf-8")
        if len(text.encode()) > FILE_BYTES:
            errors.append(ContentError(path, 1, f"over {FILE_BYTES // 1024} KB."))
        try:
            compile(text, str(path), "exec")
        except SyntaxError as exc:
            errors.append(ContentError(path, exc.lineno or 1, f"syntax error: {exc.msg}."))
        files[path.name] = text
    return files


def _test_names(files: dict[str, str], folder: Path, errors) -> dict[str, str]:
    """test name -> the file defining it; a name defined twice is an error."""
    names: dict[str, str] = {}
    for file, text in files.items():
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue  # reported by _python_files
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                if node.name in names:
                    errors.append(
                        ContentError(
                            folder / file,
                            node.lineno,
                            f"test {node.name} is also defined in {names[node.name]}.",
                        )
                    )
                names[node.name] = file
    return names


def read_project(folder: Path, errors: list[ContentError]) -> ProjectSource | None:
    path = folder / "project.yaml"
    file = YamlFile(path, errors)
    data = file.data
    if data is None or not check_fields(file, data, PROJECT_FIELDS, PROJECT_OPTIONAL):
        return None
    before = len(errors)
    try:
        project_id = uuid.UUID(str(data["id"]))
    except ValueError:
        file.error(file.line("id"), f"{data['id']!r} is not a UUID.")
        project_id = None
    for key in ("title", "goal"):
        if not isinstance(data[key], str) or not data[key].strip():
            file.error(file.line(key), f"`{key}` must be non-empty text.")
    for problem, words in prose_problems(str(data["goal"])):
        file.error(file.line_of_words(file.line("goal"), words), f"`goal` {problem}.")
    limits = data.get("limits") or {}
    if (
        not isinstance(limits, dict)
        or set(limits) - set(LIMITS)
        or not all(isinstance(v, int) and 0 < v <= LIMITS[k] for k, v in limits.items())
    ):
        ceilings = ", ".join(f"{k} up to {v}" for k, v in LIMITS.items())
        file.error(file.line("limits"), f"`limits` may set whole numbers: {ceilings}.")
        limits = {}

    starter = _python_files(folder / "starter", errors, "starter/")
    solution = _python_files(folder / "solution", errors, "solution/")
    if not starter:
        file.error(1, f"starter/ in {folder} must hold the learner's files.")
    if set(solution) != set(starter):
        file.error(
            1,
            f"solution/ must hold the starter's files ({', '.join(sorted(starter))}), "
            f"no more and no fewer; it has {', '.join(sorted(solution)) or 'none'}.",
        )
    site = str(data["site"])
    if site not in starter:
        file.error(file.line("site"), f"`site` {site!r} is not one of the starter's files.")
    models_file = str(data.get("models") or "")
    if models_file and (models_file not in starter or models_file == site):
        file.error(file.line("models"), f"`models` {models_file!r} is not another starter file.")
    database = read_database(file, data)
    seed = str(data.get("seed") or "")
    try:
        compile(seed, f"{path}: seed", "exec")
    except SyntaxError as exc:
        file.error(file.line("seed"), f"`seed` has a syntax error: {exc.msg}.")
    visible = _python_files(folder / "tests" / "visible", errors, "tests/visible/")
    hidden = _python_files(folder / "tests" / "hidden", errors, "tests/hidden/")
    if set(visible) & set(hidden):
        file.error(1, "a visible and a hidden test file share a name; rename one.")
    tests = _test_names({**visible, **hidden}, folder / "tests", errors)
    if not _test_names(visible, folder / "tests" / "visible", []):
        file.error(1, "tests/visible/ must define at least one test_ function the learner runs.")

    steps = data["steps"] if isinstance(data["steps"], list) else []
    if not steps:
        file.error(file.line("steps"), "`steps` must be a non-empty list.")
    decided: dict[str, str] = {}
    for i, step in enumerate(steps):
        if not check_fields(file, step, STEP_FIELDS, {}, "steps", i):
            continue
        if not re.match(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", str(step["slug"])):
            file.error(
                file.line("steps", i, "slug"), "`slug` must be lowercase-words-with-hyphens."
            )
        names = step["tests"] if isinstance(step["tests"], list) else []
        if not names:
            file.error(file.line("steps", i, "tests"), "`tests` must list at least one test.")
        for name in names:
            if name not in tests:
                file.error(file.line("steps", i, "tests"), f"no test named {name!r} in tests/.")
            elif name in decided:
                file.error(
                    file.line("steps", i, "tests"),
                    f"{name} already decides step {decided[name]!r}.",
                )
            decided[name] = str(step["slug"])
        for key in ("title", "hint", "explanation"):
            if not isinstance(step[key], str) or not step[key].strip():
                file.error(file.line("steps", i, key), f"`{key}` must be non-empty text.")
    for name, test_file in tests.items():
        if name not in decided:
            file.error(1, f"{test_file}: test {name} decides no step; list it in one.")

    wrong = {}
    slugs = {str(s.get("slug")) for s in steps if isinstance(s, dict)}
    for wrong_folder in sorted(p for p in (folder / "wrong").glob("*") if p.is_dir()):
        wrong_file = YamlFile(wrong_folder / "wrong.yaml", errors)
        fields = {"step": "the slug of the step it gets wrong", "why": "what is wrong, briefly"}
        if wrong_file.data is None or not check_fields(wrong_file, wrong_file.data, fields, {}):
            continue
        if wrong_file.data["step"] not in slugs:
            wrong_file.error(
                wrong_file.line("step"),
                f"no step {wrong_file.data['step']!r}; steps: {', '.join(slugs)}.",
            )
        files = _python_files(wrong_folder, errors, f"wrong/{wrong_folder.name}/")
        if not files or set(files) - set(starter):
            wrong_file.error(
                1,
                "a wrong solution replaces one or more of the starter's files "
                f"({', '.join(sorted(starter))}) and holds nothing else.",
            )
        wrong[wrong_folder.name] = {
            "step": wrong_file.data["step"],
            "why": str(wrong_file.data["why"]),
            "files": files,
        }
    if len(errors) > before:
        return None
    return ProjectSource(
        folder=folder,
        file=file,
        id=project_id,
        title=data["title"].strip(),
        goal=data["goal"],
        site=site,
        steps=steps,
        limits={**LIMITS, **limits},
        starter=starter,
        solution=solution,
        visible_tests=visible,
        hidden_tests=hidden,
        wrong=wrong,
        models_file=models_file,
        seed=seed,
        database=database,
    )


def judge_project(project: ProjectSource, runs: dict[str, dict]) -> list[str]:
    """What the check finds wrong, given each variant's test results ({variant: {"tests":
    [{name, passed, message}]}}): the starter must fail a test of every step, the solution
    pass every test, each wrong solution fail a test of the step it names."""
    problems = []

    def failed(variant: str) -> set[str]:
        return {t["name"] for t in runs[variant]["tests"] if not t["passed"]}

    ran = {t["name"] for t in runs["solution"]["tests"]}
    expected = {name for step in project.steps for name in step["tests"]}
    if ran != expected:
        problems.append(
            f"the tests that ran ({', '.join(sorted(ran))}) are not those the "
            f"steps name ({', '.join(sorted(expected))})."
        )
    for step in project.steps:
        if not failed("starter") & set(step["tests"]):
            problems.append(
                f"the starter passes every test of step {step['slug']!r}: "
                "its tests do not show the step is needed."
            )
    for test in runs["solution"]["tests"]:
        if not test["passed"]:
            problems.append(f"the solution fails {test['name']}: {test['message']}")
    by_slug = {step["slug"]: step for step in project.steps}
    for name, wrong in project.wrong.items():
        if not failed(f"wrong/{name}") & set(by_slug[wrong["step"]]["tests"]):
            problems.append(
                f"wrong/{name} passes every test of step {wrong['step']!r}, "
                "which it should get wrong."
            )
    return problems
