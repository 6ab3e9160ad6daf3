"""The bundled content is proven by `codedrill check`, and every wrong key is caught. Its one
check takes minutes: conftest starts this file first, so parallel workers do the rest meanwhile."""

import dataclasses
import os

import pytest
from conftest import BUNDLED_CONTENT

from codedrill.content.check import check
from codedrill.content.keys import flips, judge_question, judge_trace, trace_flips
from codedrill.content.loader import load_tree

pytestmark = pytest.mark.content


@pytest.fixture(scope="session")
def bundled():
    """One run of every bundled proof, shared by the tests below (it takes a while). One run
    per core, not paced by CPU share: pacing counts only the check's own runs, and here two
    other test workers share the cores. Paced in CI, the SQLite pass took 668 s rather than
    516 and a timed proof that computes disagreed with itself."""
    report = check(BUNDLED_CONTENT, workers=os.cpu_count())
    patterns, errors = load_tree(BUNDLED_CONTENT)
    assert not errors
    return report, patterns


def _facts(runs, item):
    """The item's observation; an item whose proof settled on no observation (failed, flaky)
    fails here by name, its reason being in the check's report."""
    blank = getattr(item, "kind", "") == "blank"
    options = [o["id"] for o in item.options] if blank else [None]
    for option in options:
        if runs[(item.id, option)].facts is None:
            run = runs[(item.id, option)]
            pytest.fail(f"{item.slug}: no observation, its proof's run is {run.status}")
    if blank:
        return {option: runs[(item.id, option)].facts for option in options}
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


def test_every_bundled_setup_is_what_its_proof_ran(bundled):
    report, patterns = bundled
    for q in (q for p in patterns for q in p.questions):
        facts = _facts(report["runs"], q)
        observations = list(facts.values()) if q.kind == "blank" else [facts]
        assert any(o.get("_servers") for o in observations), q.slug  # every bundled one runs
        unstated = dataclasses.replace(q, setup=None)  # a copy: `bundled` is shared
        assert any("states no `setup`" in p for p in judge_question(unstated, facts)), q.slug
