"""How long `codedrill check` takes on the bundled content, and where one proof's CPU goes.

Usage:
  .venv/bin/python benchmarks/check_speed.py [CONTENT] [--workers N] [--no-cache-only]
      a full check with no stored observations, then the re-checks an author waits for after
      editing one question (skipped with --no-cache-only); wall and CPU seconds, proof runs
  .venv/bin/python benchmarks/check_speed.py --floor [N]
      one small proof's CPU, part by part, median of N runs of each kind (uvicorn or gunicorn,
      with no database, SQLite or PostgreSQL, and a `configure` proof), in the sandbox

Works on a copy of the content and a cache of its own; writes benchmarks/out/check_speed.json
(or check_floor.json) and prints a table for benchmarks/README.md. To measure another revision,
put its tree first on PYTHONPATH (as sandbox_cost.py does): the sandbox runs the codedrill it
was imported from. CPU seconds are the benchmark's own and its children's (every sandboxed run
is reaped into them), which a loaded machine stretches far less than wall time.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codedrill.settings")
django.setup()

from codedrill import sandbox  # noqa: E402 - needs settings
from codedrill.content.check import check  # noqa: E402

ROOT = Path(__file__).resolve().parent
parser = argparse.ArgumentParser()
parser.add_argument("content", nargs="?", type=Path, default=ROOT.parent / "content")
parser.add_argument("--workers", type=int, default=None)
parser.add_argument("--no-cache-only", action="store_true", help="only the full check")
parser.add_argument("--floor", type=int, nargs="?", const=5, default=None, metavar="N")
options = parser.parse_args()


def cpu_seconds() -> float:
    """CPU used so far by this process and every child it has reaped."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


# A proof that times its own parts: it wraps the engine's subprocesses, server start and
# database set-up, runs one tiny site and reports CPU seconds per part. argv: server, database
# ("none", "sqlite", "postgresql"), requests (0: `configure` instead of a server).
PROBE = """\
import resource, sys


def cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


SELF, KIDS = resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN
parts = {"interpreter start": cpu(SELF)}
from codedrill.content.proofs import observe
from codedrill.lab import engine

parts["proof imports"] = cpu(SELF) - parts["interpreter start"]
real_run, real_wait = engine.subprocess.run, engine._wait_ready


def timed_run(argv, *args, **kwargs):
    before = cpu(KIDS)
    label = "migrate and seed" if "-c" in argv or "migrate" in argv else "PostgreSQL tools"
    try:
        return real_run(argv, *args, **kwargs)
    finally:
        parts[label] = parts.get(label, 0) + cpu(KIDS) - before


def timed_wait(process, *args):
    real_wait(process, *args)
    parts["server start"] = sum(engine._cpu_by_process(process.pid).values())


def timed_pg(*args, **kwargs):
    before = cpu(SELF)
    try:
        return real_pg(*args, **kwargs)
    finally:
        parts["proof process, PostgreSQL cluster"] = cpu(SELF) - before


engine.subprocess.run, engine._wait_ready = timed_run, timed_wait
# The engine's new-database function (its name before and after the PostgreSQL template).
PG = "_new_postgres_database" if hasattr(engine, "_new_postgres_database") else "postgres_database"
real_pg = getattr(engine, PG)
setattr(engine, PG, timed_pg)
kind, database, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
site = engine.Site(
    "from django.http import HttpResponse\\nfrom django.urls import path\\n"
    "def hello(request):\\n    return HttpResponse('hi')\\n"
    "urlpatterns = [path('hello/', hello)]\\n",
    database=False if database == "none" else database,
)
before_self, before_kids = cpu(SELF), cpu(KIDS)
if count:
    result = engine.run(site, engine.Server(kind), ["/hello/"] * count, concurrency=1)
    parts["server requests"] = sum(result.cpu.values())
    parts["server in all"] = (
        cpu(KIDS) - before_kids - parts.get("migrate and seed", 0)
        - parts.get("PostgreSQL tools", 0)
    )
    parts["proof process, running the server"] = cpu(SELF) - before_self
else:
    engine.configure(site)
    parts["proof process, configure"] = cpu(SELF) - before_self
parts["proof process in all"] = cpu(SELF)
observe(**{name: round(seconds, 4) for name, seconds in parts.items()})
"""
KINDS = [
    ("uvicorn", "none", 1),
    ("uvicorn", "none", 21),
    ("gunicorn", "none", 1),
    ("gunicorn", "none", 21),
    ("uvicorn", "sqlite", 1),
    ("gunicorn", "sqlite", 1),
    ("uvicorn", "postgresql", 1),
    ("configure", "sqlite", 0),
    ("configure", "postgresql", 0),
]


def floor(rounds: int) -> None:
    """Each kind `rounds` times, interleaved; medians per part."""
    samples: dict[tuple, list[dict]] = {kind: [] for kind in KINDS}
    for _ in range(rounds):
        for kind in KINDS:
            before = cpu_seconds()
            outcome = sandbox.run(
                {"probe.py": PROBE}, [sys.executable, "probe.py", *map(str, kind)]
            )
            whole = cpu_seconds() - before
            assert outcome.status == "ok", outcome.output
            facts = {k: v for k, v in json.loads(outcome.observation).items() if k[0] != "_"}
            facts["whole run"] = whole
            inside = facts["proof process in all"] + facts.get("migrate and seed", 0)
            inside += facts.get("server in all", 0) + facts.get("PostgreSQL tools", 0)
            facts["sandbox and PostgreSQL's own processes"] = whole - inside
            samples[kind].append(facts)
            print(kind, round(whole, 3), flush=True)
    rows = []
    for kind, runs in samples.items():
        names = list(dict.fromkeys(name for run in runs for name in run))
        medians = {name: statistics.median(run.get(name, 0) for run in runs) for name in names}
        rows.append({"kind": list(kind), **{k: round(v, 3) for k, v in medians.items()}})
    (ROOT / "out").mkdir(exist_ok=True)
    (ROOT / "out" / "check_floor.json").write_text(json.dumps(rows, indent=2))
    for row in rows:
        print(f"\n{' '.join(map(str, row['kind']))}:")
        for name, value in row.items():
            if name != "kind":
                print(f"  {name}: {value}")


def full_check() -> None:
    work = Path(tempfile.mkdtemp(prefix="codedrill-bench-"))
    content = Path(shutil.copytree(options.content, work / "content"))
    cache = work / "cache.json"
    rows = []

    def measure(name: str) -> None:
        started, cpu_before = time.monotonic(), cpu_seconds()
        report = check(content, workers=options.workers, cache=cache)
        seconds = round(time.monotonic() - started, 1)
        cpu = round(cpu_seconds() - cpu_before, 1)
        problems = [p["failures"] or p["unproven"] for p in report["patterns"]]
        rows.append({"check": name, "seconds": seconds, "cpu_seconds": cpu,
                     "proof_runs": report["proof_runs"], "from_cache": report["cached"],
                     "ok": report["ok"]})  # fmt: skip
        print(f"{name}: {seconds} s, {cpu} CPU-s, {report['proof_runs']} runs, "
              f"{report['cached']} cached, ok: {report['ok']}", flush=True)  # fmt: skip
        if not report["ok"]:
            print(json.dumps(problems, indent=1)[:5000])

    measure("full check, nothing stored")
    if not options.no_cache_only:
        # A practice question: the bundled content's second (a timed proof), else the first.
        practice = sorted(content.glob("*/*/questions/practice-*/question.yaml"))
        question = next((q for q in practice if "practice-2-" in str(q)), practice[0])
        text = question.read_text()
        question.write_text(text.replace("\nhint: ", "\nhint: Think it through. ", 1))
        measure("re-check after rewording one question")
        proof = question.with_name("proof.py")
        proof.write_text(proof.read_text() + "\n# edited\n")
        measure("re-check after editing one question's proof")
        measure("re-check, nothing changed")
    shutil.rmtree(work, ignore_errors=True)

    (ROOT / "out").mkdir(exist_ok=True)
    (ROOT / "out" / "check_speed.json").write_text(
        json.dumps({"cores": os.cpu_count(), "workers": options.workers, "rows": rows}, indent=2)
    )
    print("\n| check | seconds | CPU seconds | proof runs | observations from the cache |")
    print("|---|--:|--:|--:|--:|")
    for row in rows:
        print(f"| {row['check']} | {row['seconds']} | {row['cpu_seconds']} | "
              f"{row['proof_runs']} | {row['from_cache']} |")  # fmt: skip


if options.floor:
    floor(options.floor)
else:
    full_check()
