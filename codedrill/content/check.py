"""`codedrill check`: validate a content folder and run every proof, in parallel, contained.

The report is a plain dict (printed as text or JSON by the command) and keeps each proof's
observation, so the mutation test can judge other keys against the very same runs.

A proof whose observation rests on timings runs 3 times and every run must agree; one that
does not is `flaky`. Observations are cached by the hash of what a run depends on (the files
the proof gets, the engine, the proof protocol and the sandbox), so editing one question's
text re-judges its key against the stored observation at once, and editing its code or proof
re-runs only that proof.
"""

import hashlib
import importlib.metadata
import json
import os
import re
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from codedrill import sandbox
from codedrill.content.keys import judge_question, judge_trace
from codedrill.content.loader import (
    ExperimentSource,
    PatternSource,
    key_place_warnings,
    load_tree,
)
from codedrill.content.projects import ProjectSource, judge_project
from codedrill.content.proofs import CODE_ENV, fill_blanks, keyed_choice
from codedrill.content.questions import QuestionSource, TraceSource
from codedrill.projects import harness

# Run in the sandbox for each lab experiment: the experiment must serve every endpoint.
SMOKE = """\
from codedrill.content.proofs import observe
from codedrill.lab.experiments import smoke
observe(**smoke())
"""
# Run in the sandbox for each cited question: the lab runs that decide its key.
CITE = """\
import json
from codedrill.content.proofs import observe
from codedrill.lab.experiments import cite
observe(**cite(json.load(open("codedrill_cite.json", encoding="utf-8"))))
"""
TIMING_RUNS = 3
# How many runs go at once. Most proofs wait (on sleeps, on servers, on each other), so one run
# per core leaves the cores mostly idle; too many would stretch what timed proofs measure. So
# each run counts for its proof's CPU share, and runs start, the longest first, while the
# shares of those running sum to at most the cores (one always runs, whatever its share):
# - a proof's share is the cores its runs kept busy on average (CPU seconds over wall
#   seconds, as the sandbox measured them), at least MIN_SHARE; UNKNOWN_SHARE until it has
#   run once, in this check or, as the cache records, in an earlier one;
# - a timed proof that computes, as the CPU-bound variants of async-django do, gets whole
#   cores, and runs only beside other runs that compute, each on cores of its own: given one
#   core beside the bursts of waiting runs (their servers starting),
#   challenge-conceptual-cpu-work-in-async-view, which compares when two CPU-bound batches
#   end, disagreed with itself. It computes when a run keeps at least COMPUTING_CORES
#   busy over a stretch (sandbox.BUSY_WINDOW) or spends COMPUTING_CPU seconds of CPU: on a
#   machine loaded by others it gets less than a core, and the first may miss it. A run of it
#   that started beside waiting runs (its first, before its cost was known) does not count,
#   and runs again;
# A timed proof whose share is not known yet runs once before its repeats, to learn it.
# `workers` (`--workers`) instead runs that many at a time, whatever their shares.
MIN_SHARE, UNKNOWN_SHARE = 0.1, 0.3
# A timed proof that computes kept a whole core busy on an idle machine, and 0.3 to 0.8 of one
# at a load of 5 to 12, spending 1.8 to 8 CPU seconds a run; those that wait kept 0.1 to 0.5
# busy (their servers starting), and spent under 2.2 CPU seconds a run.
COMPUTING_CORES, COMPUTING_CPU = 0.5, 2.2
UNKNOWN_SECONDS = 5.0  # a run's length, for the order, until it is known
MOST_AT_ONCE_PER_CORE = 6  # a bound on memory, sandbox uids and watchdogs, whatever the shares
# A proof that reads a clock or a request's timings (attributes: `thread.start()` is a call);
# the engine also flags timings read at run time (`_timed`), so a proof that escapes this
# pattern is still run 3 times.
TIMING_RE = re.compile(r"\.(?:wall|seconds|start|end)\b(?!\s*\()|perf_counter|monotonic|\btime\(\)")
# A pattern's modules that its proofs share: every proof run gets them beside its own files.
SHARED = "proofs"
PACKAGE = Path(__file__).resolve().parent.parent
# What every run depends on besides its own files: the proof protocol, the engine, the sandbox.
RUN_SOURCES = [
    PACKAGE / "content" / "proofs.py",
    PACKAGE / "lab" / "engine.py",
    PACKAGE / "lab" / "experiments.py",
    PACKAGE / "projects" / "harness.py",
    *sorted((PACKAGE / "sandbox").glob("*.py")),
]
RUN_PACKAGES = ("django", "asgiref", "uvicorn", "gunicorn", "httpx", "h11")


@dataclass
class Job:
    item: QuestionSource | TraceSource | ExperimentSource | ProjectSource
    option: str | None  # for a blank question: the option filled in; for a project, a variant
    files: dict[str, str]
    script: str
    runs: list = field(default_factory=list)  # the ProofRuns so far
    started: int = 0  # runs submitted
    limits: sandbox.Limits | None = None  # a project's own, which learners' runs get too
    shared: tuple[str, ...] = ()  # the files of the pattern's SHARED folder among `files`
    timings_read: bool = False  # a run of it reported reading timings (the engine's `_timed`)
    share: float | None = None  # the cores a run of it needs (see TIMING_RUNS), once known
    seconds: float | None = None  # how long a run of it takes, once known

    @property
    def timed(self) -> bool:
        """Whether the observation rests on timings: then it must hold over TIMING_RUNS."""
        if self.script == "codedrill_cite.py":
            return True
        if self.script in ("codedrill_smoke.py", "runner.py"):
            # The smoke run decides no key; a project's tests carry their own margins, and
            # each variant's verdict is one learner's run, as a submission is.
            return False
        if self.timings_read:
            return True
        sources = [self.script, *self.shared]
        return any(TIMING_RE.search(self.files.get(name, "")) for name in sources)

    @property
    def computes(self) -> bool:
        """A timed proof that computes, from what its runs cost (see TIMING_RUNS)."""
        return self.timed and (self.share or 0.0) >= 1

    def hash(self, environment: str) -> str:
        shape = [self.files, self.script, environment, self.limits and repr(self.limits)]
        text = json.dumps(shape, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def _environment(weak: bool) -> str:
    """The part of every run's hash that is not the content: the sources and versions it runs
    on, and whether it ran in the full sandbox."""
    parts = [path.read_text(encoding="utf-8") for path in RUN_SOURCES]
    parts.append(f"weak sandbox: {weak}")
    parts.append(sys.version)
    parts.extend(importlib.metadata.version(name) for name in RUN_PACKAGES)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _proof_job(item, option: str | None, code: str) -> Job:
    """A question's or trace's proof: its folder's files, the pattern's shared modules (a file
    of the folder's own wins over one of the same name) and the code under test."""
    shared_folder = item.folder.parent.parent / SHARED
    shared = _files(shared_folder) if shared_folder.is_dir() else {}
    files = {**shared, **_files(item.folder), "code.py": code}
    return Job(item, option, files, item.proof, shared=tuple(sorted(shared)))


def _cite_job(q: QuestionSource, experiments: dict) -> Job:
    experiment = experiments[q.cites["experiment"]]
    files = {**_files(experiment.folder), "codedrill_cite.py": CITE}
    files["codedrill_cite.json"] = json.dumps(q.cites["facts"], sort_keys=True)
    return Job(q, None, files, "codedrill_cite.py")


def _jobs(pattern: PatternSource) -> list[Job]:
    jobs = []
    experiments = {e.slug: e for e in pattern.experiments}
    for q in pattern.questions:
        if q.unproven is not None:
            continue  # nothing to run yet: the report says why (`_pattern_report`)
        if q.cites is not None:
            jobs.append(_cite_job(q, experiments))
            continue
        if q.kind != "blank":
            jobs.append(_proof_job(q, None, q.code))
            continue
        keyed = keyed_choice(q.options, q.key)
        for option in q.options:
            code = fill_blanks(q.code, {**keyed, option["blank"]: option["text"]})
            jobs.append(_proof_job(q, option["id"], code))
    jobs.extend(_proof_job(trace, None, trace.code) for trace in pattern.traces)
    for experiment in pattern.experiments:
        files = {**_files(experiment.folder), "codedrill_smoke.py": SMOKE}
        jobs.append(Job(experiment, None, files, "codedrill_smoke.py"))
    if project := pattern.project:
        limits = harness.sandbox_limits(project)
        for variant, learner_files in project.variants().items():
            files = harness.sandbox_input(project, learner_files, visible_only=False)
            jobs.append(Job(project, variant, files, "runner.py", limits=limits))
    return jobs


def _files(folder: Path) -> dict[str, str]:
    """What a run gets of its folder. A question's or trace's own YAML stays out: the proof
    reads its code through code(), and so a change to the prose or the key reuses the run."""
    return {
        path.name: path.read_text(encoding="utf-8")
        for path in folder.iterdir()
        if path.is_file()
        and path.suffix in (".py", ".yaml", ".txt", ".json", ".md")
        and path.name not in ("question.yaml", "trace.yaml")
    }


@dataclass
class ProofRun:
    status: str  # "ok", a sandbox failure name, "bad-observation" or "flaky"
    facts: dict | None
    output: str
    seconds: float
    runs: int = 1  # how many runs this observation held over
    cached: bool = False
    cpu: float = 0.0  # CPU seconds of everything the run started
    busiest: float = 0.0  # the most cores it kept busy over sandbox.BUSY_WINDOW


def _run(job: Job, timeout: float, weak: bool) -> ProofRun:
    limits = job.limits or sandbox.Limits(wall_seconds=timeout)
    argv = [sys.executable, job.script]
    outcome = sandbox.run(job.files, argv, {CODE_ENV: "code.py"}, limits, weak=weak)
    status, facts, output = outcome.status, None, outcome.output
    if status == "ok":
        try:
            facts = json.loads(outcome.observation)
        except ValueError:
            facts = None
        if not isinstance(facts, dict):
            status, facts = "bad-observation", None
            output = f"observe() must report named facts, got: {outcome.observation[:300]}"
    peak = outcome.peak
    cpu, busiest = peak.get("cpu_seconds", 0.0), peak.get("busiest_cores", 0.0)
    return ProofRun(status, facts, output, outcome.seconds, cpu=cpu, busiest=busiest)


def _share(run: ProofRun, timed: bool, cores: int) -> float:
    """The cores a proof's run needs (see TIMING_RUNS)."""
    if timed and (run.busiest >= COMPUTING_CORES or run.cpu >= COMPUTING_CPU):
        return min(cores, max(1, round(run.busiest)))
    average = run.cpu / run.seconds if run.seconds else UNKNOWN_SHARE
    return min(cores, max(MIN_SHARE, average))


def _settled(job: Job) -> ProofRun:
    """One verdict from a job's runs: the first failure, `flaky` if the observations differ,
    else the observation they share."""
    failed = next((run for run in job.runs if run.status != "ok"), None)
    if failed:
        return failed
    seconds = sum(run.seconds for run in job.runs)
    seen = [run.facts for run in job.runs]
    if any(facts != seen[0] for facts in seen):
        lines = [f"run {n}: {_shown(facts)}" for n, facts in enumerate(seen, 1)]
        output = "the runs disagree:\n" + "\n".join(lines)
        return ProofRun("flaky", None, output, seconds, runs=len(seen))
    return ProofRun("ok", seen[0], job.runs[0].output, seconds, runs=len(seen))


def _shown(facts: dict) -> dict:
    return {name: value for name, value in facts.items() if not name.startswith("_")}


class Cache:
    """Observations by run hash, in one JSON file; only settled, agreeing observations, with
    what a run of each cost (its seconds and CPU share), which orders and paces the next check.
    `reuse=False` (`--no-cache`) runs every proof, and still records them."""

    def __init__(self, path: Path | None, reuse: bool = True):
        self.path = path
        self.reuse = reuse
        self.entries: dict = {}
        if path and path.exists():
            try:
                self.entries = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.entries = {}  # a damaged cache only costs a full run

    def get(self, key: str) -> ProofRun | None:
        entry = self.entries.get(key)
        if self.path is None or not self.reuse or not isinstance(entry, dict):
            return None
        entry["used"] = time.time()
        return ProofRun("ok", entry["facts"], "", 0.0, runs=entry["runs"], cached=True)

    def cost(self, key: str) -> tuple[float | None, float | None]:
        """(a run's seconds, its CPU share) when an earlier check recorded them."""
        entry = self.entries.get(key)
        if not isinstance(entry, dict):
            return None, None
        return entry.get("seconds"), entry.get("share")

    def put(self, key: str, run: ProofRun, share: float | None) -> None:
        if run.status == "ok":
            self.entries[key] = {
                "facts": run.facts,
                "runs": run.runs,
                "used": time.time(),
                "seconds": round(run.seconds / run.runs, 2),
                "share": share,
            }

    def save(self, keep: int = 5000) -> None:
        if self.path is None:
            return
        newest = sorted(self.entries.items(), key=lambda e: e[1].get("used", 0), reverse=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(dict(newest[:keep])), encoding="utf-8")
        partial.replace(self.path)


def run_proofs(
    patterns: list[PatternSource],
    timeout: float,
    workers: int | None,
    progress=None,
    cache: Cache | None = None,
    weak: bool = False,
):
    """Every proof's settled run, keyed by (item id, option); `progress(line)` hears of each
    run as it ends. Runs are paced by their CPU shares, or `workers` at a time (see
    TIMING_RUNS); a timed proof's repeat runs go ahead of the rest, as its first run ends (or
    at once when its share is known), so they overlap with other proofs."""
    cache = cache or Cache(None)
    environment = _environment(weak)
    cores = os.cpu_count() or 1
    capacity = workers or cores
    settled, pending, queue = {}, {}, []
    jobs = []
    for job in (job for pattern in patterns for job in _jobs(pattern)):
        if hit := cache.get(job.hash(environment)):
            settled[(job.item.id, job.option)] = hit
        else:
            job.seconds, job.share = cache.cost(job.hash(environment))
            jobs.append(job)

    def length(job: Job) -> float:  # a job's runs one after another: its first, then repeats
        return (job.seconds or UNKNOWN_SECONDS) * (2 if job.timed else 1)

    for job in sorted(jobs, key=length, reverse=True):
        runs = TIMING_RUNS if job.timed and (workers or job.share is not None) else 1
        queue.extend([job] * runs)
        job.started = runs
    with ThreadPoolExecutor(max_workers=workers or cores * MOST_AT_ONCE_PER_CORE) as pool:

        def admit() -> None:
            """Start queued runs, in order, while their shares fit beside those running (and
            those that compute run beside no others)."""
            busy = sum(share for _job, share, _computes in pending.values())
            while queue:
                job = queue[0]
                share = 1 if workers else min(cores, job.share or UNKNOWN_SHARE)
                mixed = not workers and any(c != job.computes for *_, c in pending.values())
                if pending and (busy + share > capacity + 1e-9 or mixed):
                    return
                if len(pending) >= cores * MOST_AT_ONCE_PER_CORE:
                    return
                queue.pop(0)
                pending[pool.submit(_run, job, timeout, weak)] = (job, share, job.computes)
                busy += share

        admit()
        while pending:
            finished, _running = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                (job, _admitted, computed), run = pending.pop(future), future.result()
                note = ""
                if (job.item.id, job.option) not in settled:  # else a failed run settled it
                    job.timings_read |= bool(run.facts and run.facts.get("_timed"))
                    job.seconds = max(job.seconds or 0.0, run.seconds)
                    job.share = max(job.share or 0.0, _share(run, job.timed, cores))
                    if job.computes and not computed and run.status == "ok" and not workers:
                        job.started -= 1  # waiting runs beside it took some of its cores
                        note = f"; it computes, so it runs again on {job.share:g} core(s)"
                    else:
                        job.runs.append(run)
                if progress:
                    option = f" [{job.option}]" if job.option else ""
                    progress(
                        f"{job.item.slug}{option}: {run.status} ({run.seconds:.1f} s, "
                        f"{run.cpu:.1f} CPU-s, at most {run.busiest:.1f} cores busy{note})"
                    )
                if (job.item.id, job.option) in settled:
                    continue
                # A failure settles the job at once; a timed proof needs TIMING_RUNS runs.
                wanted = TIMING_RUNS if job.timed and run.status == "ok" else len(job.runs)
                if job.started < wanted:
                    queue[:0] = [job] * (wanted - job.started)
                    job.started = wanted
                if len(job.runs) >= wanted:
                    verdict = _settled(job)
                    cache.put(job.hash(environment), verdict, job.share)
                    settled[(job.item.id, job.option)] = verdict
            admit()
    cache.save()
    return settled


def _where(item) -> str:
    if isinstance(item, ExperimentSource):
        return str(item.folder / "experiment.yaml")
    if isinstance(item, ProjectSource):
        return f"{item.file.path}:{item.file.line('steps')}"
    return f"{item.file.path}:{item.file.line('key' if hasattr(item, 'key') else 'steps')}"


def _judge(item, facts: dict) -> tuple[list[str], str]:
    """(problems, the report counter a success adds to)."""
    if isinstance(item, QuestionSource) and item.cites is not None:
        return judge_question(item, facts[None]), "cited"
    if isinstance(item, TraceSource):
        return judge_trace(item, facts[None]), "traces_proven"
    if isinstance(item, ProjectSource):
        return judge_project(item, facts), "projects_proven"
    if isinstance(item, ExperimentSource):
        silent = [
            f"{server}: {path} got no response"
            for server, statuses in facts[None].get("answered", {}).items()
            for path, status in statuses.items()
            if status is None
        ]
        reading = facts[None].get("reading")
        if not (isinstance(reading, str) and reading.strip()):
            silent.append(f"reading.py's reading(run) gave {reading!r}, not a sentence")
        return silent, "experiments_ran"
    return judge_question(item, facts if item.kind == "blank" else facts[None]), "proven"


def _pattern_report(pattern: PatternSource, runs: dict | None, skipped: str) -> dict:
    """`skipped` says why proofs did not run, when `runs` is None."""
    report = {
        "slug": pattern.slug,
        "questions": len(pattern.questions),
        "proven": 0,
        "cited": 0,
        "unproven": [],
        "failures": [],
        "observations": [],  # what every key rests on, passes included
        "traces": len(pattern.traces),
        "traces_proven": 0,
        "experiments": len(pattern.experiments),
        "experiments_ran": 0,
        "projects": int(pattern.project is not None),
        "projects_proven": 0,
        "seconds": 0.0,  # the pattern's proofs, added up (they run in parallel)
        "warnings": key_place_warnings(pattern),
        "pools": {
            pool: len(pattern.pool(pool))
            for pool in ("try", "practice", "challenge", "test", "review")
        },
    }
    project = [pattern.project] if pattern.project else []
    for item in [*pattern.questions, *pattern.traces, *pattern.experiments, *project]:
        if getattr(item, "unproven", None) is not None:
            report["unproven"].append({"item": item.slug, "reason": item.unproven})
            continue
        if runs is None:
            report["unproven"].append({"item": item.slug, "reason": skipped})
            continue
        options = [None]
        if isinstance(item, QuestionSource) and item.kind == "blank":
            options = [o["id"] for o in item.options]
        elif isinstance(item, ProjectSource):
            options = list(item.variants())
        results = {option: runs[(item.id, option)] for option in options}
        report["seconds"] += sum(run.seconds for run in results.values())
        broken = {o: run for o, run in results.items() if run.status != "ok"}
        if broken:
            option, run = next(iter(broken.items()))
            label = f" (with option {option!r})" if option else ""
            if isinstance(item, ProjectSource):
                label = f" ({option})"
            entry = {
                "item": item.slug,
                "reason": f"{run.status}{label}",
                "output": run.output[-1500:],
            }
            if run.status == "flaky":  # a proof that disagrees with itself decides nothing
                report["failures"].append(
                    {"item": item.slug, "where": _where(item), "problems": [
                        f"flaky{label}: {TIMING_RUNS} runs must agree; {run.output}"
                    ]}
                )  # fmt: skip
            else:
                report["unproven"].append(entry)
            continue
        for option, run in results.items():
            report["observations"].append({
                "item": item.slug,
                **({"option": option} if option else {}),
                "observed": _shown(run.facts),
                "servers": run.facts.get("_servers", []),
                "runs": run.runs,
                "cached": run.cached,
            })  # fmt: skip
        facts = {o: run.facts for o, run in results.items()}
        problems, counter = _judge(item, facts)
        if problems:
            report["failures"].append(
                {"item": item.slug, "where": _where(item), "problems": problems}
            )
        else:
            report[counter] += 1
    report["seconds"] = round(report["seconds"], 1)
    return report


def check(
    root: Path,
    proofs: bool = True,
    timeout: float = sandbox.Limits.wall_seconds,
    workers=None,
    progress=None,
    weak_sandbox: bool = False,
    cache: Path | None = None,
    reuse: bool = True,
) -> dict:
    """`weak_sandbox` lets an author run their own proofs where the full sandbox is missing;
    `cache` is the observation cache's file (None: run every proof), whose observations
    `reuse=False` does not reuse, though it still learns from it what each proof costs."""
    started = time.monotonic()
    patterns, errors = load_tree(root)
    missing = sandbox.unavailable_reason() if proofs else ""
    runs, ran_in, skipped = None, "none (proofs not run)", "proofs not run (--no-proofs)"
    if proofs and missing and not weak_sandbox:
        errors.append(
            f"proofs not run: the sandbox is not available here ({missing}); "
            "`codedrill check --weak-sandbox` runs your own proofs with resource limits only"
        )
        skipped = "proofs not run (no sandbox)"
    elif proofs:
        store = Cache(cache, reuse)
        runs = run_proofs(patterns, timeout, workers, progress, store, weak=weak_sandbox)
        ran_in = sandbox.WEAK if missing else sandbox.FULL
    reports = [_pattern_report(pattern, runs, skipped) for pattern in patterns]
    ran = sum(run.runs for run in runs.values() if not run.cached) if runs else 0
    cached = sum(run.cached for run in runs.values()) if runs else 0
    ok = not errors and all(
        not r["failures"] and (not proofs or not r["unproven"]) for r in reports
    )
    return {
        "ok": ok,
        "errors": [str(error) for error in errors],
        "patterns": reports,
        "proof_runs": ran,
        "cached": cached,
        "sandbox": ran_in,
        "seconds": round(time.monotonic() - started, 1),
        "runs": runs,
    }


def as_text(report: dict) -> str:
    lines = [*report["errors"]]
    for p in report["patterns"]:
        lines.append(
            f"{p['slug']}: {p['questions']} questions, {p['proven']} proven, {p['cited']} cited, "
            f"{len(p['unproven'])} unproven, {len(p['failures'])} failing; "
            f"traces {p['traces_proven']}/{p['traces']} proven; experiments "
            f"{p['experiments_ran']}/{p['experiments']} ran; project "
            f"{p['projects_proven']}/{p['projects']} proven; pools {p['pools']}; "
            f"{p['seconds']} s of proofs"
        )
        lines.extend(f"  warning: {warning}" for warning in p["warnings"])
        for item in p["unproven"]:
            lines.append(f"  unproven {item['item']}: {item['reason']}")
            if item.get("output"):
                lines.extend(f"    | {line}" for line in item["output"].splitlines()[-12:])
        for failure in p["failures"]:
            lines.append(f"  FAILED {failure['item']} ({failure['where']})")
            lines.extend(f"    - {problem}" for problem in failure["problems"])
    lines.append(
        f"{'OK' if report['ok'] else 'FAILED'}: {len(report['errors'])} errors, "
        f"{report['proof_runs']} proof runs ({report['cached']} observations from the cache) "
        f"in {report['seconds']} s "
        f"(sandbox: {report['sandbox']})"
    )
    return "\n".join(lines)
