"""`codedrill check`: the bundled content is proven, and every wrong key is caught."""

import json
import subprocess

import pytest
from conftest import BUNDLED_CONTENT, CODEDRILL

from codedrill.content.check import check
from codedrill.content.keys import flips, judge_question, judge_trace, trace_flips
from codedrill.content.loader import load_tree

pytestmark = pytest.mark.content


@pytest.fixture(scope="session")
def bundled():
    """One run of every bundled proof, shared by the tests below (it takes a while)."""
    report = check(BUNDLED_CONTENT)
    patterns, errors = load_tree(BUNDLED_CONTENT)
    assert not errors
    return report, patterns


def _facts(runs, item):
    if getattr(item, "kind", "") == "blank":
        return {o["id"]: runs[(item.id, o["id"])].facts for o in item.options}
    return runs[(item.id, None)].facts


def test_every_bundled_code_question_and_trace_is_proven(bundled):
    report, _patterns = bundled
    assert report["errors"] == []
    for pattern in report["patterns"]:
        assert pattern["failures"] == [], pattern["failures"]
        assert pattern["unproven"] == [], pattern["unproven"]
        assert pattern["proven"] + pattern["cited"] == pattern["questions"]
        assert pattern["traces_proven"] == pattern["traces"]
        assert pattern["experiments_ran"] == pattern["experiments"]
        assert pattern["projects_proven"] == pattern["projects"]
    assert report["ok"]


def test_the_first_pattern_is_complete(bundled):
    report, patterns = bundled
    (first,) = [p for p in report["patterns"] if p["slug"] == "async-django"]
    assert first["questions"] >= 34
    assert first["traces"] >= 2 and first["projects"] == 1
    assert first["pools"]["try"] >= 5 and first["pools"]["practice"] >= 5
    assert first["pools"]["challenge"] >= 5 and first["pools"]["review"] >= 5
    (source,) = [p for p in patterns if p.slug == "async-django"]
    test_pool = source.pool("test")
    for difficulty in ("easy", "medium", "hard"):
        assert sum(q.difficulty == difficulty for q in test_pool) >= 8
    kinds = {q.kind for q in source.questions}
    assert {"single", "multiple", "order", "short", "blank"} <= kinds
    assert len(source.cards) >= 12
    assert {q.category for q in source.pool("challenge")} == {
        "conceptual", "component-behaviour", "syntax", "state-output", "debug"
    }  # fmt: skip
    code_questions = [q for q in source.questions if q.code]
    assert all(q.proof for q in code_questions)


def test_every_flipped_key_fails_the_check(bundled):
    """The mutation property: the observations that prove a key refute every other key."""
    report, patterns = bundled
    runs = report["runs"]
    total, survivors = 0, []
    for pattern in patterns:
        for q in pattern.questions:
            if q.proof is None:
                continue
            facts = _facts(runs, q)
            assert judge_question(q, facts) == []
            for key in flips(q):
                total += 1
                if not judge_question(q, facts, key=key):
                    survivors.append((q.slug, key))
        for trace in pattern.traces:
            facts = _facts(runs, trace)
            for events, quiz_keys in trace_flips(trace):
                total += 1
                if not judge_trace(trace, facts, events=events, quiz_keys=quiz_keys):
                    survivors.append((trace.slug, events, quiz_keys))
    assert total >= 100
    assert survivors == [], f"{len(survivors)} of {total} wrong keys pass: {survivors}"


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


def test_every_bundled_setup_is_what_its_proof_ran(bundled):
    report, patterns = bundled
    for q in (q for p in patterns for q in p.questions):
        facts = _facts(report["runs"], q)
        observations = list(facts.values()) if q.kind == "blank" else [facts]
        assert any(o.get("_servers") for o in observations), q.slug  # every bundled one runs
        q.setup = None
        assert any("states no `setup`" in p for p in judge_question(q, facts)), q.slug


def test_an_experiment_must_read_its_run_in_a_sentence(example_copy):
    (folder,) = (example_copy / "examples/awaiting-basics/lab").iterdir()
    (folder / "reading.py").write_text("def reading(run):\n    return ''\n")
    report = check(example_copy, workers=2)
    (failure,) = report["patterns"][0]["failures"]
    assert failure["problems"] == ["reading.py's reading(run) gave '', not a sentence"]
    (folder / "reading.py").unlink()
    report = check(example_copy, proofs=False)
    assert any("reading.py not found" in error for error in report["errors"])
