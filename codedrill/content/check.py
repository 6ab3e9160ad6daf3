"""`codedrill check`: validate a content folder and run every proof, in parallel, contained.

The report is a plain dict (printed as text or JSON by the command) and keeps each proof's
observation, so the mutation test can judge other keys against the very same runs.
"""

import json
import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from codedrill import sandbox
from codedrill.content.keys import judge_question, judge_trace
from codedrill.content.loader import (
    ExperimentSource,
    PatternSource,
    key_place_warnings,
    load_tree,
)
from codedrill.content.proofs import CODE_ENV, fill_blanks, keyed_choice
from codedrill.content.questions import QuestionSource, TraceSource

# Run in the sandbox for each lab experiment: the experiment must serve every endpoint.
SMOKE = """\
from codedrill.content.proofs import observe
from codedrill.lab.experiments import smoke
observe(**smoke())
"""


@dataclass
class Job:
    item: QuestionSource | TraceSource | ExperimentSource
    option: str | None  # for a blank question: the option filled in
    files: dict[str, str]
    script: str


def _proof_job(item, option: str | None, code: str) -> Job:
    return Job(item, option, {**_files(item.folder), "code.py": code}, item.proof)


def _jobs(pattern: PatternSource) -> list[Job]:
    jobs = []
    for q in pattern.questions:
        if q.proof is None:
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
    return jobs


def _files(folder: Path) -> dict[str, str]:
    return {
        path.name: path.read_text(encoding="utf-8")
        for path in folder.iterdir()
        if path.is_file() and path.suffix in (".py", ".yaml", ".txt", ".json", ".md")
    }


@dataclass
class ProofRun:
    status: str  # "ok", a sandbox failure name, or "bad-observation"
    facts: dict | None
    output: str
    seconds: float


def _run(job: Job, timeout: float, weak: bool) -> tuple[Job, ProofRun]:
    outcome = sandbox.run_python(
        job.files, job.script, {CODE_ENV: "code.py"}, timeout=timeout, weak=weak
    )
    status, facts, output = outcome.status, None, outcome.output
    if status == "ok":
        try:
            facts = json.loads(outcome.observation)
        except ValueError:
            facts = None
        if not isinstance(facts, dict):
            status, facts = "bad-observation", None
            output = f"observe() must report named facts, got: {outcome.observation[:300]}"
    return job, ProofRun(status, facts, output, outcome.seconds)


def run_proofs(
    patterns: list[PatternSource], timeout: float, workers: int | None, progress=None, weak=False
):
    """Every proof's run, keyed by (item id, option); `progress(line)` hears of each as it ends."""
    jobs = [job for pattern in patterns for job in _jobs(pattern)]
    runs = {}
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        futures = [pool.submit(_run, job, timeout, weak) for job in jobs]
        for done, future in enumerate(as_completed(futures), 1):
            job, run = future.result()
            runs[(job.item.id, job.option)] = run
            if progress:
                option = f" [{job.option}]" if job.option else ""
                progress(f"[{done}/{len(jobs)}] {job.item.slug}{option}: {run.status} "
                         f"({run.seconds:.1f} s)")  # fmt: skip
    return runs


def _where(item) -> str:
    if isinstance(item, ExperimentSource):
        return str(item.folder / "experiment.yaml")
    return f"{item.file.path}:{item.file.line('key' if hasattr(item, 'key') else 'steps')}"


def _judge(item, facts: dict) -> tuple[list[str], str]:
    """(problems, the report counter a success adds to)."""
    if isinstance(item, TraceSource):
        return judge_trace(item, facts[None]), "traces_proven"
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
        "traces": len(pattern.traces),
        "traces_proven": 0,
        "experiments": len(pattern.experiments),
        "experiments_ran": 0,
        "seconds": 0.0,  # the pattern's proofs, added up (they run in parallel)
        "warnings": key_place_warnings(pattern),
        "pools": {
            pool: len(pattern.pool(pool))
            for pool in ("try", "practice", "challenge", "test", "review")
        },
    }
    for item in [*pattern.questions, *pattern.traces, *pattern.experiments]:
        if isinstance(item, QuestionSource) and item.proof is None:
            report["cited"] += 1
            continue
        if runs is None:
            report["unproven"].append({"item": item.slug, "reason": skipped})
            continue
        options = [None]
        if isinstance(item, QuestionSource) and item.kind == "blank":
            options = [o["id"] for o in item.options]
        results = {option: runs[(item.id, option)] for option in options}
        report["seconds"] += sum(run.seconds for run in results.values())
        broken = {o: run for o, run in results.items() if run.status != "ok"}
        if broken:
            option, run = next(iter(broken.items()))
            label = f" (with option {option!r})" if option else ""
            report["unproven"].append(
                {"item": item.slug, "reason": f"{run.status}{label}", "output": run.output[-1500:]}
            )
            continue
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
) -> dict:
    """`weak_sandbox` lets an author run their own proofs where the full sandbox is missing."""
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
        runs = run_proofs(patterns, timeout, workers, progress, weak=weak_sandbox)
        ran_in = sandbox.WEAK if missing else sandbox.FULL
    reports = [_pattern_report(pattern, runs, skipped) for pattern in patterns]
    ran = len(runs) if runs else 0
    ok = not errors and all(
        not r["failures"] and (not proofs or not r["unproven"]) for r in reports
    )
    return {
        "ok": ok,
        "errors": [str(error) for error in errors],
        "patterns": reports,
        "proof_runs": ran,
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
            f"{p['experiments_ran']}/{p['experiments']} ran; pools {p['pools']}; "
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
        f"{report['proof_runs']} proof runs in {report['seconds']} s "
        f"(sandbox: {report['sandbox']})"
    )
    return "\n".join(lines)
