"""Project mode's cost, measured in one run on one machine: the reference solution of the first
pattern's project submitted for all tests, from the queue to the stored result; the same tests
run by the harness directly (no sandbox) and in the sandbox, alternately, so that both see the
same load; and how many submissions a minute two workers sustain.

Usage: .venv/bin/python benchmarks/project_run.py [ROUNDS]   (default 5)
Uses a throwaway data folder (SQLite). Writes benchmarks/out/project_run.json and prints the
numbers for benchmarks/README.md.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
REPO = ROOT.parent
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
data = tempfile.mkdtemp(prefix="codedrill-project-bench-")
os.environ["CODEDRILL_DATA_DIR"] = data
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codedrill.settings")

import django  # noqa: E402 - after the data folder is chosen

django.setup()
from django.core.management import call_command  # noqa: E402

from codedrill import sandbox  # noqa: E402
from codedrill.accounts.models import User  # noqa: E402
from codedrill.content.models import Project  # noqa: E402
from codedrill.content.publish import publish  # noqa: E402
from codedrill.projects import harness, rules  # noqa: E402
from codedrill.projects.models import ProjectSubmission  # noqa: E402

call_command("migrate", "--noinput", verbosity=0)
publish(REPO / "content")
project = Project.objects.get(pattern__slug="async-django", is_active=True)
learner = User.objects.create_user("bench")  # no password: it never logs in


def reference(n: int) -> dict[str, str]:
    """The reference, made unique by a comment, so no run is answered from stored results."""
    return {**project.solution, "dashboard.py": project.solution["dashboard.py"] + f"# {n}\n"}


def queue_to_result(n: int) -> float:
    started = time.monotonic()
    submission = rules.submit(learner, project, reference(n), visible_only=False)
    rules.perform(submission.pk)  # what a worker does with the task
    submission.refresh_from_db()
    assert submission.status == "done" and len(submission.passed_steps) == 3, submission.reason
    return time.monotonic() - started


def direct(n: int) -> float:
    """The harness as the sandbox runs it, as a plain subprocess in a temporary folder."""
    files = harness.sandbox_input(project, reference(n), visible_only=False)
    with tempfile.TemporaryDirectory() as folder:
        for name, text in files.items():
            Path(folder, name).parent.mkdir(parents=True, exist_ok=True)
            Path(folder, name).write_text(text)
        observation = Path(folder, "observation.json")
        env = {**os.environ, sandbox.OBSERVATION_ENV: str(observation)}
        started = time.monotonic()
        subprocess.run([sys.executable, "runner.py"], cwd=folder, env=env, check=True,
                       capture_output=True)  # fmt: skip
        seconds = time.monotonic() - started
        tests = json.loads(observation.read_text())["tests"]
        assert all(test["passed"] for test in tests), tests
    return seconds


def sandboxed(n: int) -> float:
    files = harness.sandbox_input(project, reference(n), visible_only=False)
    started = time.monotonic()
    outcome = sandbox.run(files, [sys.executable, "runner.py"], limits=rules.limits(project))
    assert outcome.status == "ok", outcome.output
    return time.monotonic() - started


def throughput(workers: int, count: int) -> float:
    """Submissions a minute: `count` queued at once, `workers` threads performing them."""
    submissions = [rules.submit(learner, project, reference(1000 + n), False) for n in range(count)]
    todo = [s.pk for s in submissions]
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                if not todo:
                    return
                pk = todo.pop(0)
            rules.perform(pk)

    started = time.monotonic()
    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    done = ProjectSubmission.objects.filter(pk__in=[s.pk for s in submissions], status="done")
    assert done.count() == count
    return 60 * count / seconds


timings: dict[str, list[float]] = {"queue_to_result": [], "direct": [], "sandboxed": []}
for n in range(rounds):
    timings["queue_to_result"].append(queue_to_result(n))
    timings["direct"].append(direct(100 + n))
    timings["sandboxed"].append(sandboxed(200 + n))
    print(f"round {n + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in timings.items()))
medians = {name: round(statistics.median(values), 2) for name, values in timings.items()}
per_minute = round(throughput(workers=2, count=4 * rounds), 1)
summary = {
    "rounds": rounds,
    "cores": os.cpu_count(),
    "load_before": os.getloadavg()[0],
    "median_seconds": medians,
    "sandbox_over_direct": round(medians["sandboxed"] / medians["direct"], 2),
    "queue_to_result_over_direct": round(medians["queue_to_result"] / medians["direct"], 2),
    "submissions_per_minute_2_workers": per_minute,
    "all": {k: [round(v, 2) for v in vs] for k, vs in timings.items()},
}
(ROOT / "out").mkdir(exist_ok=True)
(ROOT / "out" / "project_run.json").write_text(json.dumps(summary, indent=2))
print(json.dumps(summary, indent=2))
shutil.rmtree(data)
