"""Validation: every problem in a content folder is reported with file, line and the fix."""

import shutil
from pathlib import Path

import pytest
import yaml

from codedrill.content.loader import key_place_warnings, load_tree

pytestmark = pytest.mark.content

PATTERN = "examples/awaiting-basics"


def errors_in(root: Path) -> list[str]:
    _patterns, errors = load_tree(root)
    return [str(error) for error in errors]


def first_pattern(root: Path):
    """The bundled first pattern, as the loader reads it from `root`."""
    patterns, _errors = load_tree(root)
    return next(p for p in patterns if p.slug == "async-django")


def question(root: Path, kind: str, with_code: bool | None = None) -> Path:
    """The question.yaml of the first example question of this kind."""
    for path in sorted((root / PATTERN / "questions").glob("*/question.yaml")):
        data = yaml.safe_load(path.read_text())
        if data["kind"] == kind and (with_code is None or bool(data.get("code")) == with_code):
            return path
    raise LookupError(kind)


def rewrite(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_the_example_is_valid(example_copy):
    assert errors_in(example_copy) == []


def test_an_unknown_field_names_file_line_and_the_likely_fix(example_copy):
    path = question(example_copy, "single")
    path.write_text(path.read_text().replace("\nhint:", "\nhnit:"))
    errors = errors_in(example_copy)
    line = line_of(path, "hnit:")
    assert f"{path}:{line}: unknown field `hnit`. Did you mean `hint`?" in "\n".join(errors)
    assert any(e.startswith(f"{path}:") and "missing field `hint`" in e for e in errors)


def test_a_key_that_is_not_an_option(example_copy):
    path = question(example_copy, "single")
    rewrite(path, lambda d: d.update(key="no-such-option"))
    errors = errors_in(example_copy)
    line = line_of(path, "key: no-such-option")
    assert any(e.startswith(f"{path}:{line}: `key` must be one option id") for e in errors)


def test_duplicate_options_are_refused(example_copy):
    path = question(example_copy, "multiple")

    def duplicate(data):
        data["options"][1]["text"] = "  " + data["options"][0]["text"].upper()

    rewrite(path, duplicate)
    assert any(
        e.startswith(f"{path}:") and "duplicate option" in e for e in errors_in(example_copy)
    )


@pytest.mark.parametrize(
    "prose",
    ["The right one is option B.", "Pick (C) here.", "Answer: D", "so the result = A."],
)
def test_prose_may_not_name_an_option_by_letter(example_copy, prose):
    path = question(example_copy, "single")
    rewrite(path, lambda d: d.update(hint=prose))
    line = line_of(path, "hint:")
    assert any(
        e.startswith(f"{path}:{line}: `hint` names an option by its letter")
        for e in errors_in(example_copy)
    )


def test_letters_inside_code_are_not_prose(example_copy):
    path = question(example_copy, "single")
    rewrite(path, lambda d: d.update(hint="Compare `x = A` with `option(B)`."))
    assert errors_in(example_copy) == []


def test_raw_html_is_refused_in_questions_and_pages(example_copy):
    path = question(example_copy, "single")
    rewrite(path, lambda d: d.update(stem="Look <script>alert(1)</script> here."))
    page = example_copy / PATTERN / "learn.md"
    page.write_text(page.read_text() + '\n<img src=x onerror="alert(1)">\n')
    errors = errors_in(example_copy)
    assert any(e.startswith(f"{path}:") and "raw HTML" in e for e in errors)
    last = len(page.read_text().splitlines())
    assert any(e.startswith(f"{page}:{last}:") and "raw HTML" in e for e in errors)


def test_a_missing_proof_and_a_missing_experiment(example_copy):
    with_proof = question(example_copy, "multiple")
    (with_proof.parent / "proof.py").unlink()
    lab = next((example_copy / PATTERN / "lab").iterdir())
    shutil.rmtree(lab)
    errors = errors_in(example_copy)
    assert any(e.startswith(f"{with_proof}:") and "proof file 'proof.py' not found" in e
               for e in errors)  # fmt: skip
    assert any(f"cites lab experiment {lab.name!r}, which is not in" in e for e in errors)


def test_code_needs_a_proof_and_distractors_need_mistakes(example_copy):
    path = question(example_copy, "single", with_code=True)

    def strip(data):
        del data["proof"]
        data["mistakes"] = data["mistakes"][1:]

    rewrite(path, strip)
    errors = errors_in(example_copy)
    assert any("a question with `code` needs a `proof`" in e for e in errors)
    assert any("has no mistake: say why it is tempting" in e for e in errors)


def test_duplicate_uuids_across_questions(example_copy):
    first, second = sorted((example_copy / PATTERN / "questions").glob("*/question.yaml"))[:2]
    uuid = yaml.safe_load(first.read_text())["id"]
    rewrite(second, lambda d: d.update(id=uuid))
    assert any(e.startswith(f"{second}:") and f"duplicate uuid {uuid}" in e
               for e in errors_in(example_copy))  # fmt: skip


def test_a_pool_too_small_for_its_mode(example_copy):
    shutil.rmtree(question(example_copy, "order").parent)
    assert any("the practice pool has 4 questions; its mode needs at least 5" in e
               for e in errors_in(example_copy))  # fmt: skip


def test_the_challenge_pool_needs_three_problems_per_category(content_copy):
    """A challenge reveals its solutions; with three per category the two after it are new."""
    folder = content_copy / "django/when-async-helps/questions"
    shutil.rmtree(sorted(folder.glob("challenge-debug-*"))[0])
    errors = errors_in(content_copy)
    assert any("the challenge pool needs at least 3 debug problems, all of one difficulty" in e
               and "it has 2 (intermediate)" in e for e in errors)  # fmt: skip
    assert len([e for e in errors if "challenge pool" in e]) == 1


def test_a_challenge_category_keeps_one_difficulty(content_copy):
    path = sorted((content_copy / "django/when-async-helps/questions").glob("challenge-syntax-*"))
    rewrite(path[0] / "question.yaml", lambda data: data.update(difficulty="expert"))
    assert any("syntax problems, all of one difficulty" in e and "(expert, intermediate)" in e
               for e in errors_in(content_copy))  # fmt: skip


def test_a_pool_that_writes_its_key_in_one_place_is_warned_of(content_copy):
    pattern = first_pattern(content_copy)
    assert key_place_warnings(pattern) == []
    for path in (content_copy / "django/when-async-helps/questions").glob("test-*/question.yaml"):
        data = yaml.safe_load(path.read_text())
        if data["kind"] == "single":  # put the key first, as authors tend to
            data["options"].sort(key=lambda option: option["id"] != data["key"])
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    pattern = first_pattern(content_copy)
    (warning,) = key_place_warnings(pattern)
    assert warning.startswith("the test pool writes the key as option 1 in ")


def test_the_test_pool_needs_eight_per_difficulty(content_copy):
    hard = sorted((content_copy / "django/when-async-helps/questions").glob("test-hard-*"))
    for folder in hard[7:]:  # leave 7 hard questions
        shutil.rmtree(folder)
    assert any("the test pool needs at least 8 questions per difficulty" in e
               for e in errors_in(content_copy))  # fmt: skip


def test_every_bad_file_is_reported_in_one_run(example_copy):
    paths = sorted((example_copy / PATTERN / "questions").glob("*/question.yaml"))[:3]
    for path in paths:
        rewrite(path, lambda d: d.update(difficulty="impossible"))
    errors = errors_in(example_copy)
    for path in paths:
        assert any(e.startswith(f"{path}:") and "`difficulty` is 'impossible'" in e
                   for e in errors)  # fmt: skip


def test_rows_and_a_query_prediction_need_models_that_exist(example_copy):
    path = example_copy / PATTERN / "lab" / "sleep-vs-await" / "experiment.yaml"

    def count_queries(data):
        data["parameters"]["rows"] = {"default": 5, "min": 1, "max": 500}
        data["predict"] = ["queries"]

    rewrite(path, count_queries)
    errors = errors_in(example_copy)
    assert any(e.startswith(f"{path}:") and "needs 0 < min <= default <= max <= 200" in e
               for e in errors)  # fmt: skip
    assert any("`predict` must be a list from wall, probe, queries" in e for e in errors)
    rewrite(path, lambda data: data.update(models="models.py"))
    errors = errors_in(example_copy)
    assert any(e.startswith(f"{path}:") and "models file 'models.py' not found" in e
               for e in errors)  # fmt: skip
    (path.parent / "models.py").write_text("from django.db import models\n")
    rewrite(path, lambda data: data["parameters"].update(rows={"default": 5, "min": 1, "max": 9}))
    errors = errors_in(example_copy)
    line = line_of(path, "rows:")
    needs = "`rows` needs `models`, and a function seed(rows) in the site that makes them."
    assert f"{path}:{line}: {needs}" in errors
    assert not any("`predict`" in e for e in errors)  # models are there now
    rewrite(path, lambda data: data.update(predict=[{"queries": 1}]))  # not a name: no crash
    assert any("`predict` must be a list from" in e for e in errors_in(example_copy))


def test_an_experiment_names_its_database_and_a_bad_one_is_refused_on_its_line(example_copy):
    path = example_copy / PATTERN / "lab" / "sleep-vs-await" / "experiment.yaml"

    def database_of() -> str:
        patterns, errors = load_tree(example_copy)
        assert errors == []
        return patterns[0].experiments[0].database

    for written, stored in [("postgresql", "postgresql"), ("sqlite", "sqlite"), (True, "sqlite"),
                            ("none", ""), (False, "")]:  # fmt: skip
        rewrite(path, lambda data, value=written: data.update(database=value))
        assert database_of() == stored, written
    for bad in ("mysql", 3, ["postgresql"]):
        rewrite(path, lambda data, value=bad: data.update(database=value))
        line = line_of(path, "database:")
        assert f"{path}:{line}: `database` must be sqlite (or true), postgresql or none, not " \
            f"{bad!r}." in errors_in(example_copy)  # fmt: skip


def test_a_tally_is_a_path_and_a_label_and_predicting_it_needs_one(example_copy):
    path = example_copy / PATTERN / "lab" / "sleep-vs-await" / "experiment.yaml"
    rewrite(path, lambda data: data.update(predict=["tally"]))
    errors = errors_in(example_copy)
    assert any(e.startswith(f"{path}:") and "tally needs a `tally`" in e for e in errors)
    rewrite(path, lambda data: data.update(tally={"path": "stock/", "label": "units left"}))
    line = line_of(path, "tally:")
    assert f"{path}:{line}: `tally` must be {{path: /..., label}}." in errors_in(example_copy)
    rewrite(path, lambda data: data.update(tally={"path": "/stock/", "label": "units left"}))
    patterns, errors = load_tree(example_copy)
    assert errors == [] and patterns[0].experiments[0].tally["path"] == "/stock/"


def test_a_site_that_seeds_rows_needs_models(example_copy):
    folder = example_copy / PATTERN / "lab" / "sleep-vs-await"
    with (folder / "site.py").open("a") as site:
        site.write("\n\ndef seed():\n    pass\n")
    line = line_of(folder / "experiment.yaml", "site:")
    needs = "the site defines seed(), which makes rows: add `models`."
    assert f"{folder / 'experiment.yaml'}:{line}: {needs}" in errors_in(example_copy)
