"""`codedrill check` on the authoring example: its report, a flipped key, what it skips."""

import json
import subprocess

import pytest
from conftest import CODEDRILL

from codedrill.content.check import check
from codedrill.content.keys import flips
from codedrill.content.loader import load_tree

pytestmark = pytest.mark.content


def test_check_json_on_the_authoring_example(example_checked):
    result, _env = example_checked
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    (pattern,) = report["patterns"]
    assert set(pattern) >= {"slug", "questions", "proven", "cited", "unproven", "failures"}
    assert pattern["questions"] == pattern["proven"] + pattern["cited"] >= 10
    assert pattern["cited"] >= 1 and pattern["failures"] == [] and pattern["unproven"] == []
    assert isinstance(report["seconds"], float | int)
    assert report["cached"] == 0 and report["proof_runs"] > len(pattern["observations"])
    # Every key's observation is in the report, passes included, cited questions too.
    items = {o["item"] for o in pattern["observations"]}
    assert "practice-easy-what-decides-overlap" in items and len(items) >= 10


def test_a_flipped_key_fails_with_the_observation_next_to_the_key(example_copy, example_checked):
    patterns, _errors = load_tree(example_copy)
    q = next(q for q in patterns[0].questions if q.kind == "single" and q.proof)
    wrong = flips(q)[0]
    path = q.file.path
    # Swap the key and its mistake, as an author who believes the wrong option would.
    text = path.read_text().replace(f"key: {q.key}", "key: WRONG")
    text = text.replace(f"option: {wrong}", f"option: {q.key}").replace(
        "key: WRONG", f"key: {wrong}"
    )
    path.write_text(text)
    result = subprocess.run(
        [CODEDRILL, "check", str(example_copy)],
        capture_output=True, text=True, timeout=300, env=example_checked[1],
    )  # fmt: skip
    assert result.returncode == 1
    assert f"FAILED {q.slug}" in result.stdout
    assert "observed {" in result.stdout and f"the key ['{wrong}'] claims" in result.stdout


def test_no_proofs_validates_only_and_says_what_it_skipped(example_copy):
    report = check(example_copy, proofs=False)
    assert report["ok"] and report["proof_runs"] == 0
    (pattern,) = report["patterns"]
    assert pattern["proven"] == 0
    assert all(item["reason"] == "proofs not run (--no-proofs)" for item in pattern["unproven"])


def test_an_experiment_must_read_its_run_in_a_sentence(example_copy, example_cache):
    (folder,) = (example_copy / "examples/awaiting-basics/lab").iterdir()
    (folder / "reading.py").write_text("def reading(run):\n    return ''\n")
    # Only what reads the experiment's folder runs again: its smoke run and its citations.
    report = check(example_copy, cache=example_cache)
    (failure,) = report["patterns"][0]["failures"]
    assert failure["problems"] == ["reading.py's reading(run) gave '', not a sentence"]
    (folder / "reading.py").unlink()
    report = check(example_copy, proofs=False)
    assert any("reading.py not found" in error for error in report["errors"])
