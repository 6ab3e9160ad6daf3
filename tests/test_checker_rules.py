"""Each rule of `codedrill check`, shown by a question written to fool it, which must fail.

The example content is checked once per session into an observation cache; each test edits a
copy and checks it against that cache, so only a proof the test changes runs again.
"""

import json
import time

import pytest
import yaml

from codedrill.content.check import _jobs, _run, check
from codedrill.content.loader import load_tree

pytestmark = pytest.mark.content

PATTERN = "examples/awaiting-basics/questions"


def edit(root, slug: str, change) -> None:
    path = root / PATTERN / slug / "question.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000))


def failures(report) -> dict[str, list[str]]:
    (pattern,) = report["patterns"]
    return {f["item"]: f["problems"] for f in pattern["failures"]}


def test_a_setup_that_names_the_server_but_not_its_knobs_fails(example_copy, example_cache):
    # The proof runs one uvicorn worker; the setup claims two. Only knobs differ, not the name.
    edit(example_copy, "practice-easy-three-waiting-requests",
         lambda d: d.update(setup={"server": "uvicorn", "workers": 2}))  # fmt: skip
    report = check(example_copy, cache=example_cache)
    problems = failures(report)["practice-easy-three-waiting-requests"]
    assert not report["ok"]
    assert any("the proof ran uvicorn (ASGI), 1 worker" in p and "does not state it" in p
               for p in problems)  # fmt: skip
    assert any("`setup` states uvicorn (ASGI), 2 workers" in p for p in problems)


def test_a_proof_run_with_unstated_middleware_fails(example_copy, example_cache):
    # A test-client question that says nothing about its setup, though the run had one.
    edit(example_copy, "try-easy-await-the-helper", lambda d: d.pop("setup"))
    report = check(example_copy, cache=example_cache)
    (problem,) = failures(report)["try-easy-await-the-helper"]
    assert "Django's default settings and middleware" in problem and "states no `setup`" in problem


def test_a_setup_that_hides_a_changed_warning_filter_fails(example_copy, example_cache):
    edit(example_copy, "practice-easy-three-waiting-requests",
         lambda d: d.update(setup={"server": "uvicorn", "warnings": "always"}))  # fmt: skip
    report = check(example_copy, cache=example_cache)
    problems = failures(report)["practice-easy-three-waiting-requests"]
    assert any("every warning shown" in p and "never ran" in p for p in problems)


def test_a_cited_question_with_a_wrong_key_fails(example_copy, example_cache):
    slug = "practice-easy-what-decides-overlap"

    def flip(data):
        data["key"], wrong = "always-overlaps", data["key"]
        data["mistakes"] = [
            {"option": wrong if m["option"] == "always-overlaps" else m["option"], "why": m["why"]}
            for m in data["mistakes"]
        ]

    edit(example_copy, slug, flip)
    report = check(example_copy, cache=example_cache)
    (pattern,) = report["patterns"]
    assert pattern["cited"] == 0 and not report["ok"]
    (problem,) = failures(report)[slug]
    assert "'sleep_view_seconds': 3" in problem and "the key ['always-overlaps'] claims" in problem


def test_a_citation_without_observed_facts_is_refused(example_copy):
    path = example_copy / PATTERN / "practice-easy-what-decides-overlap" / "question.yaml"
    edit(example_copy, path.parent.name, lambda d: d.update(cites="sleep-vs-await"))
    _patterns, errors = load_tree(example_copy)
    assert any(str(e).startswith(f"{path}:") and "names the lab experiment and the runs" in str(e)
               for e in errors)  # fmt: skip


def test_a_citation_must_measure_what_the_options_claim(example_copy):
    def drop(data):
        del data["cites"]["facts"]["sleep_view_seconds"]

    edit(example_copy, "practice-easy-what-decides-overlap", drop)
    _patterns, errors = load_tree(example_copy)
    assert any("claims sleep_view_seconds, which `cites` does not measure" in str(e)
               for e in errors)  # fmt: skip


def test_a_timing_proof_that_disagrees_with_itself_is_flaky(example_copy, example_cache):
    """A proof whose observation is the clock: each of its 3 runs sees another value."""
    folder = example_copy / PATTERN / "practice-easy-three-waiting-requests"
    (folder / "proof.py").write_text(
        "import time\nfrom codedrill.content.proofs import observe\n"
        "observe(seconds=1, tick=time.perf_counter_ns())\n"
    )
    edit(example_copy, folder.name, lambda d: d.pop("setup"))
    report = check(example_copy, cache=example_cache)
    (problem,) = failures(report)[folder.name]
    assert problem.startswith("flaky: 3 runs must agree") and "run 3:" in problem
    assert not report["ok"]


def test_a_timing_proof_runs_three_times_and_reports_its_observations(example_copy, example_cache):
    report = check(example_copy, cache=example_cache)
    (pattern,) = report["patterns"]
    seen = {o["item"]: o for o in pattern["observations"] if "option" not in o}
    waiting = seen["practice-easy-three-waiting-requests"]
    assert waiting["observed"] == {"seconds": 1} and waiting["runs"] == 3
    assert waiting["servers"][0]["server"] == "uvicorn"
    assert seen["practice-medium-print-order"]["runs"] == 1  # no timings: one run is enough


@pytest.mark.parametrize(
    ("field", "prose"),
    [
        ("hint", "Read the loop's rules, and so the answer is B."),
        ("hint", "Pick B."),
        ("stem", "Which is right?\nCorrect: **B**."),
        ("solution", "(Hint: B is correct.)"),
    ],
)
def test_an_option_letter_in_prose_is_flagged_with_file_and_line(example_copy, field, prose):
    path = example_copy / PATTERN / "practice-easy-three-waiting-requests" / "question.yaml"
    lines = path.read_text().splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith(f"{field}:"))
    if field == "solution":
        lines.insert(at + 1, f"  - {json.dumps(prose)}")
    else:  # a block of several lines: the error names the line the letter is on
        lines[at : at + 1] = [f"{field}: |", *(f"  {line}" for line in prose.splitlines())]
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    letter_line = next(
        n for n, line in enumerate(text.splitlines(), 1) if prose.splitlines()[-1] in line
    )
    _patterns, errors = load_tree(example_copy)
    assert any(str(e).startswith(f"{path}:{letter_line}:") and "by its letter" in str(e)
               for e in errors), errors  # fmt: skip


@pytest.mark.parametrize(
    "prose",
    ["A coroutine object is truthy.", "Plan B is a task queue.", "Run `answer = B` yourself."],
)
def test_ordinary_prose_with_capital_letters_passes(example_copy, prose):
    edit(example_copy, "practice-easy-three-waiting-requests", lambda d: d.update(hint=prose))
    assert load_tree(example_copy)[1] == []


def test_the_rule_is_required_and_one_line(example_copy):
    path = example_copy / PATTERN / "practice-medium-print-order" / "question.yaml"
    edit(example_copy, "practice-medium-print-order", lambda d: d.pop("rule"))
    other = example_copy / PATTERN / "practice-hard-lazy-queryset" / "question.yaml"
    edit(example_copy, "practice-hard-lazy-queryset",
         lambda d: d.update(rule="First line.\nSecond line."))  # fmt: skip
    errors = [str(e) for e in load_tree(example_copy)[1]]
    assert any(e.startswith(f"{path}:") and "missing field `rule`" in e for e in errors)
    assert any(e.startswith(f"{other}:") and "`rule` is one line" in e for e in errors)


def test_a_recheck_reuses_observations_and_reruns_only_a_changed_proof(example_copy, tmp_path):
    cache = tmp_path / "cache.json"
    first = check(example_copy, cache=cache)
    assert first["ok"] and first["cached"] == 0
    # Reword one question: its proof's files are unchanged, so its observation is reused.
    stem = "Three requests arrive together. When is the last one done?"
    edit(example_copy, "practice-easy-three-waiting-requests", lambda d: d.update(stem=stem))
    started = time.monotonic()
    again = check(example_copy, cache=cache)
    assert again["ok"] and again["proof_runs"] == 0 and again["cached"] == first_jobs(first)
    assert time.monotonic() - started < 10
    # Change one proof: only it runs again.
    proof = example_copy / PATTERN / "practice-medium-print-order" / "proof.py"
    proof.write_text(proof.read_text() + "\n# reworded\n")
    changed = check(example_copy, cache=cache)
    assert changed["ok"] and changed["proof_runs"] == 1


def first_jobs(report) -> int:
    (pattern,) = report["patterns"]
    return len({(o["item"], o.get("option")) for o in pattern["observations"]})


SHARED_PRINTED = """
import asyncio
import contextlib
import io

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure


def report_printed():
    configure(Site(code() + '\\nfrom django.urls import path\\nurlpatterns = [path("", view)]\\n'))
    from django.test import AsyncClient

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        asyncio.run(AsyncClient().get("/"))
    observe(order=printed.getvalue().split())
"""


def test_a_patterns_shared_proof_module_reaches_its_proofs_and_their_hashes(example_copy):
    """A module in the pattern's proofs/ folder: each proof run gets it beside its own files, a
    change to it changes their hashes, and a clock read in it makes them timed."""
    shared = example_copy / "examples" / "awaiting-basics" / "proofs"
    shared.mkdir()
    (shared / "printed.py").write_text(SHARED_PRINTED)
    folder = example_copy / PATTERN / "practice-medium-print-order"
    (folder / "proof.py").write_text("from printed import report_printed\n\nreport_printed()\n")

    def jobs():
        (pattern,), _errors = load_tree(example_copy)
        return {job.item.slug: job for job in _jobs(pattern) if job.script == "proof.py"}

    first = jobs()
    assert all(job.shared == ("printed.py",) for job in first.values())
    job = first[folder.name]
    assert not job.timed
    run = _run(job, 60, weak=False)
    assert (run.status, run.facts["order"]) == ("ok", ["two", "three", "one"]), run.output
    (shared / "printed.py").write_text(SHARED_PRINTED + "\nimport time\nSTARTED = time.time()\n")
    again = jobs()
    assert again[folder.name].timed
    assert all(again[slug].hash("") != first[slug].hash("") for slug in first)


@pytest.mark.parametrize(
    ("source", "timed"),
    [
        ("result.wall", True),
        ("request.start - 1", True),
        ("time.monotonic()", True),
        ("thread.start()", False),
        ("match.end()", False),
        ("thread.start ()", False),
    ],
)
def test_a_timing_is_an_attribute_read_or_a_clock_not_a_call_to_start(source, timed):
    from codedrill.content.check import TIMING_RE

    assert bool(TIMING_RE.search(source)) is timed
