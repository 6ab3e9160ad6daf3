"""The sandbox against code written to escape it, and against proofs that misbehave: each run
is judged from the host (canaries) and by its own namespace, never by scanning the machine."""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from codedrill import sandbox
from codedrill.content.check import check
from codedrill.sandbox import FAILURES, Limits, hostile, leftovers, run, run_python

pytestmark = pytest.mark.content


@pytest.fixture
def found(full_sandbox):
    with hostile.canaries() as canaries:
        yield canaries


@pytest.mark.parametrize("probe", hostile.PROBES, ids=lambda probe: probe.name)
def test_each_escape_is_contained(probe, found, tmp_path):
    secret_key = tmp_path / "secret_key"
    secret_key.write_text(found.token)  # a site's key, where a site keeps it
    outcome = hostile.run_probe(probe, found, secret_key)
    assert hostile.escapes(probe, outcome, found) == [], outcome.observation or outcome.output
    assert outcome.sandbox == sandbox.FULL


def test_the_judge_sees_an_escape(found):
    """escapes() is what the suite rests on: it must fail when something got out."""
    probe = hostile.Probe("pretend", "", "", expect="ok")
    outcome = sandbox.Outcome("ok", json.dumps({"read": found.token}), "", 0.1)
    found.target.write_text("escaped")
    found.victim.write_text("changed")
    found.hits.append("/escaped")
    assert hostile.escapes(probe, outcome, found) == [
        "read a host secret",
        "wrote a host file",
        "changed a host file",
        "reached the host's loopback: ['/escaped']",
    ]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import time\ntime.sleep(10_000)\n", "timeout"),
        ("hoard = []\nwhile True:\n    hoard.append(bytes(256 * 1024 * 1024))\n", "memory-limit"),
        ("raise ValueError('the proof itself is broken')\n", "crashed"),
        ("print('forgot to call observe')\n", "no-observation"),
    ],
    ids=["timeout", "memory-limit", "crashed", "no-observation"],
)
def test_a_misbehaving_proof_is_stopped_and_named(code, expected, full_sandbox):
    assert expected in FAILURES  # the names the checker documents
    outcome = run_python({"proof.py": code}, "proof.py", timeout=5)
    assert outcome.status == expected, outcome.output[-500:]
    assert outcome.seconds < 5 + 3
    assert leftovers(outcome) == []


def test_a_good_proof_reports_its_observation(full_sandbox):
    code = "from codedrill.content.proofs import observe\nobserve(answer=42, ok=True)\n"
    outcome = run_python({"proof.py": code}, "proof.py", timeout=20)
    assert outcome.status == "ok", outcome.output
    assert json.loads(outcome.observation) == {"answer": 42, "ok": True}


def test_a_run_reports_the_cores_it_kept_busy(full_sandbox):
    """What `codedrill check` paces its runs by: over its busiest stretch a run that computes
    keeps busy about its average share of a core or more (all of one on an idle machine; a
    loaded machine gives it less); one that waits, next to none."""
    observe = "from codedrill.content.proofs import observe\nobserve(done=True)\n"
    computing = "import time\nend = time.thread_time() + 2.5\nwhile time.thread_time() < end: 1\n"
    waiting = "import time\ntime.sleep(2.5)\n"
    outcomes = {}
    for name, code in (("computing", computing), ("waiting", waiting)):
        outcomes[name] = run_python({"proof.py": code + observe}, "proof.py", timeout=30)
        assert outcomes[name].status == "ok", outcomes[name].output
    computed, waited = outcomes["computing"].peak, outcomes["waiting"].peak
    average = computed["cpu_seconds"] / outcomes["computing"].seconds
    assert computed["cpu_seconds"] >= 2.5
    assert computed["busiest_cores"] >= 0.8 * average, computed
    assert waited["busiest_cores"] < 0.25, waited


def test_each_run_at_once_has_a_uid_of_its_own(full_sandbox):
    code = (
        "import os, time\ntime.sleep(1)\n"
        "open(os.environ['CODEDRILL_OBSERVATION'], 'w').write(str(os.getuid()))\n"
    )
    outcomes = []
    threads = [
        threading.Thread(target=lambda: outcomes.append(run_python({"p.py": code}, "p.py")))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    uids = {int(outcome.observation) for outcome in outcomes}
    assert len(uids) == 3 and all(uid >= 1000 for uid in uids)


def test_two_servers_of_four_workers_fit_the_default_limits(full_sandbox):
    """The defaults stay as generous as proofs need."""
    code = """
from concurrent.futures import ThreadPoolExecutor
from codedrill.content.proofs import observe
from codedrill.lab.engine import Server, Site, run

site = Site("import time\\nfrom django.http import HttpResponse\\nfrom django.urls import path\\n"
            "def slow(request):\\n    time.sleep(1)\\n    return HttpResponse('hi')\\n"
            "urlpatterns = [path('', slow)]\\n")
with ThreadPoolExecutor(2) as pool:  # both servers up at once
    results = list(pool.map(lambda kind: run(site, Server(kind, workers=4), ["/"] * 8),
                            ("uvicorn", "gunicorn")))
observe(statuses=[r.status for result in results for r in result.requests])
"""
    outcome = run_python({"proof.py": code}, "proof.py")
    assert outcome.status == "ok", outcome.output[-1500:]
    assert json.loads(outcome.observation)["statuses"] == [200] * 16
    assert outcome.peak["processes"] >= 10  # two masters and eight workers at once


def test_where_the_sandbox_is_missing_runs_are_refused(monkeypatch):
    monkeypatch.setattr(sandbox, "unavailable_reason", lambda: "missing bwrap: install it")
    with pytest.raises(sandbox.SandboxUnavailable, match="missing bwrap: install it"):
        run({"p.py": "print(1)"}, [sys.executable, "p.py"])


def test_check_refuses_to_run_proofs_without_the_sandbox_unless_asked(monkeypatch, example_copy):
    monkeypatch.setattr(sandbox, "unavailable_reason", lambda: "the sandbox needs root")
    refused = check(example_copy, workers=2)
    assert not refused["ok"] and refused["proof_runs"] == 0
    assert "the sandbox is not available here (the sandbox needs root)" in refused["errors"][0]
    assert refused["sandbox"] == "none (proofs not run)"
    weak = check(example_copy, workers=2, weak_sandbox=True)
    assert weak["ok"], weak["errors"] or weak["patterns"]
    assert weak["sandbox"] == sandbox.WEAK


def test_the_weak_sandbox_still_bounds_time_and_ends_the_session(monkeypatch):
    monkeypatch.setattr(sandbox, "unavailable_reason", lambda: "pretend")
    code = "import os, time\nif os.fork() == 0:\n    time.sleep(600)\ntime.sleep(600)\n"
    outcome = run({"p.py": code}, [sys.executable, "p.py"], limits=Limits(2), weak=True)
    assert outcome.status == "timeout" and outcome.sandbox == sandbox.WEAK
    assert leftovers(outcome) == []


def test_the_checker_finishes_a_folder_of_hostile_proofs_and_names_each(
    full_sandbox, example_copy, example_cache, monkeypatch
):
    """Every run's leftovers are looked for in its own namespace, seen through a spy. The
    example's other proofs come from its observation cache: only the hostile ones run."""
    hostile_proofs = {
        "hoard = []\nwhile True:\n    hoard.append(bytes(256 * 1024 * 1024))\n": "memory-limit",
        "import time\ntime.sleep(10_000)\n": "timeout",
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n"
        "        pass\n": "too-many-processes",
        # A megabyte a line passes the output limit in three writes, however busy the machine.
        "while True:\n    print('x' * 1_000_000)\n": "output-flood",
    }
    questions = sorted((example_copy / "examples/awaiting-basics/questions").glob("*/proof.py"))
    chosen = {}
    for path, (code, expected) in zip(questions, hostile_proofs.items(), strict=False):
        path.write_text(code)
        chosen[path.parent.name] = expected
    outcomes = []
    real_run = sandbox.run

    def spy(*args, **kwargs):
        outcomes.append(real_run(*args, **kwargs))
        return outcomes[-1]

    monkeypatch.setattr(sandbox, "run", spy)
    started = time.monotonic()
    report = check(example_copy, timeout=6, cache=example_cache)
    assert len(outcomes) == len(chosen)
    reasons = {item["item"]: item["reason"] for item in report["patterns"][0]["unproven"]}
    for slug, expected in chosen.items():
        assert reasons[slug].split(" ")[0] == expected, (slug, reasons.get(slug))
    assert not report["ok"] and report["sandbox"] == sandbox.FULL
    assert time.monotonic() - started < len(questions) * 11
    assert [leftovers(outcome) for outcome in outcomes] == [[]] * len(outcomes)


def test_runs_get_the_sqlite_template_read_only_named_by_what_made_it(full_sandbox):
    code = """
import os
from pathlib import Path
from codedrill.content.proofs import observe
from codedrill.lab import engine
from codedrill.sandbox import SQLITE_TEMPLATE_ENV

template = Path(os.environ[SQLITE_TEMPLATE_ENV])
try:
    (template / engine.SQLITE_FILE).open("r+b").close()
    written = "written"
except OSError as exc:
    written = type(exc).__name__
observe(named=template.name == engine.sqlite_template_name(), written=written)
"""
    outcome = run_python({"proof.py": code}, "proof.py", timeout=20)
    assert outcome.status == "ok", outcome.output
    assert json.loads(outcome.observation) == {"named": True, "written": "PermissionError"}
    template = sandbox._sqlite_template()
    assert all(path.stat().st_uid == 0 for path in [template, *template.iterdir()])
    assert all(not path.stat().st_mode & 0o022 for path in [template, *template.iterdir()])


def test_a_runs_namespace_is_never_another_runs_while_its_supervisor_looks_at_it(
    full_sandbox, monkeypatch
):
    """Regression: a run's processes are found by the inode of its PID namespace, and the
    kernel gives a new namespace the lowest free inode, a freed one included. The reaper went on
    scanning after it had reaped the run's init, so under load it killed a run that had just
    started in a new namespace with the same inode ("crashed", with no output). The supervisor
    now holds its run's namespace open until it is done with it: while the reaper works, new
    namespaces (kept alive, so each takes the next lowest) are given inodes up to and past the
    run's, never the run's own."""
    seen: dict[str, list[int]] = {"run": [], "made": []}
    real_reap = sandbox._reap
    held: list[subprocess.Popen] = []

    def reap_then_make_namespaces(namespace, session, kind):
        real_reap(namespace, session, kind)  # the run's init is reaped: its namespace is empty
        seen["run"].append(namespace)
        while len(held) < 200 and not (seen["made"] and seen["made"][-1] >= namespace):
            held.append(subprocess.Popen(
                ["unshare", "--pid", "--fork", "sh", "-c", "readlink /proc/self/ns/pid; sleep 60"],
                stdout=subprocess.PIPE, text=True, start_new_session=True,
            ))  # fmt: skip
            link = held[-1].stdout.readline().strip()
            seen["made"].append(int(link.removeprefix("pid:[").removesuffix("]")))

    monkeypatch.setattr(sandbox, "_reap", reap_then_make_namespaces)
    try:
        outcome = run_python({"proof.py": "print('done')\n"}, "proof.py", timeout=20)
    finally:
        for process in held:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert outcome.status == "no-observation", outcome.output
    assert seen["run"] == [outcome.namespace] and outcome.namespace is not None
    assert seen["made"][-1] >= outcome.namespace, seen  # the kernel reached the run's inode
    assert outcome.namespace not in seen["made"], seen
