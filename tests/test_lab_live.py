"""The Lab on a real server, as `make run` starts it (granian and lab workers): a live run
through the API, a worker killed mid-run, and two workers sharing one queue. Each test finds
what it started by its own process session and the run's own PID namespace."""

import contextlib
import json
import os
import signal
import subprocess
import time

import httpx
import pytest
from conftest import CODEDRILL, left_running
from liveserver import environment, prepare, serve

from codedrill.sandbox import processes_in, since_boot

pytestmark = pytest.mark.usefixtures("full_sandbox")
BLOCKING_ID = "f25c99b1-93c0-4151-91e5-d0c64932a801"  # content/.../lab/blocking-async
PER_ROW_ID = "a6f77193-8f44-4156-bb5d-188b3f79b269"  # content/django/n-plus-one/lab/per-row-counts


def shell(data_dir, code: str):
    """Run Python in codedrill's shell against the server's data folder; return its JSON."""
    done = subprocess.run([CODEDRILL, "shell", "-v0", "-c", code], env=environment(data_dir),
                          capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    return json.loads(done.stdout)


@contextlib.contextmanager
def api_client(base: str):
    with httpx.Client(base_url=base, timeout=30) as client:
        client.get("/api/v1/csrf")
        yield client


def run_field(data_dir, run_id: int, name: str):
    code = f"print(json.dumps(getattr(LabRun.objects.get(pk={run_id}), {name!r})))"
    return shell(data_dir, "from codedrill.lab.models import LabRun; import json; " + code)


def command_line(pid: int) -> bytes:
    with open(f"/proc/{pid}/cmdline", "rb") as found:
        return found.read()


def start_live_run(client: httpx.Client, requests: int, delay: float) -> httpx.Response:
    body = {"experiment": BLOCKING_ID, "server": "uvicorn", "endpoint": "/blocking/",
            "parameters": {"requests": requests, "delay": delay},
            "prediction": {"wall": 2, "probe": 1}, "live": True}  # fmt: skip
    response = client.post("/api/v1/lab/runs", json=body,
                           headers={"X-CSRFToken": client.cookies["csrftoken"]})  # fmt: skip
    client.cookies.pop("csrftoken")  # the first write made a guest: the token changed
    client.get("/api/v1/csrf")
    return response


def wait_for(client: httpx.Client, run_id: int, statuses: set, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = client.get(f"/api/v1/lab/runs/{run_id}").json()
        if run["status"] in statuses:
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} still {run['status']} after {seconds} s")


def test_a_live_run_through_the_api_measures_the_blocking_call(tmp_path):
    with serve(tmp_path, LAB_WORKERS="1") as (base, _process), api_client(base) as client:
        started = start_live_run(client, requests=3, delay=0.5)
        assert started.status_code == 202, started.text
        queued = started.json()
        assert queued["status"] == "queued" and queued["queue_position"] == 1
        run = wait_for(client, queued["id"], {"done", "failed"}, 60)
    assert run["status"] == "done", run["reason"]
    # Three half-second time.sleep calls hold uvicorn's loop: the probe waits about 3 x 0.5 s.
    assert 2 * 0.5 < run["probe"] < 3 * 0.5 + 1.0
    assert [r["status"] for r in run["requests"]] == [200] * 4 and run["requests"][-1]["probe"]
    assert run["knobs"]["cpu cores"] == "core 0" and run["prediction"] == {"wall": 2, "probe": 1}
    assert run["reading"].startswith("The quick /ping/ waited") and run["measured_at"]


def test_an_n_plus_one_run_through_the_api_counts_each_requests_queries(tmp_path):
    body = {"experiment": PER_ROW_ID, "server": "uvicorn", "endpoint": "/count-per-author/",
            "parameters": {"requests": 2, "rows": 7}, "prediction": {"queries": 2},
            "live": True}  # fmt: skip
    with serve(tmp_path, LAB_WORKERS="1") as (base, _process), api_client(base) as client:
        listed = client.get("/api/v1/patterns/n-plus-one/lab").json()
        assert {e["slug"]: e["predict"] for e in listed}["per-row-counts"] == ["queries"]
        token = {"X-CSRFToken": client.cookies["csrftoken"]}
        started = client.post("/api/v1/lab/runs", json=body, headers=token)
        assert started.status_code == 202, started.text
        run = wait_for(client, started.json()["id"], {"done", "failed"}, 60)
    assert run["status"] == "done", run["reason"]
    # 7 authors: the list, then one COUNT query for each author.
    assert [(r["status"], r["queries"]) for r in run["requests"]] == [(200, 8)] * 2
    assert run["prediction"] == {"queries": 2} and run["parameters"]["rows"] == 7
    assert run["reading"].startswith("Counting books for 7 authors took 8 queries a request")


def test_a_worker_killed_mid_run_leaves_nothing_and_its_run_is_retried(tmp_path):
    env = {"LAB_WORKERS": "1", "LAB_STALE_SECONDS": "2"}
    with serve(tmp_path, **env) as (base, process), api_client(base) as client:
        run_id = start_live_run(client, requests=4, delay=1.5).json()["id"]
        wait_for(client, run_id, {"running"}, 30)
        namespace = None
        while namespace is None:  # the worker records it once the sandbox runs
            namespace = run_field(tmp_path, run_id, "namespace")
        assert processes_in(namespace=namespace)  # the run is going on
        (worker,) = [pid for pid in processes_in(session=process.pid)
                     if b"labworker" in command_line(pid)]  # fmt: skip
        os.kill(worker, signal.SIGKILL)
        killed, deadline = since_boot(), time.monotonic() + 5

        def left() -> list[int]:  # the namespace's number may pass to a later run
            return processes_in(namespace=namespace, started_before=killed)

        while left() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert left() == []  # the PID namespace ended with it
        run = wait_for(client, run_id, {"done", "failed"}, 60)  # serve started a new worker
    assert run["status"] == "done", run["reason"]
    assert run_field(tmp_path, run_id, "attempts") == 2
    assert left_running(process.pid) == []


CREATE_RUNS = """
import json, secrets
from codedrill.accounts.models import User
from codedrill.content.models import Experiment
from codedrill.lab import runs
learner = User.objects.create_user("worker-test-" + secrets.token_hex(4))
experiment = Experiment.objects.get(uuid="%s")
choice = {"server": "uvicorn", "endpoint": "/ping/", "parameters": {"requests": 1}}
print(json.dumps([runs.start(learner, experiment, choice, {"wall": 1, "probe": 1}, live=True).pk
                  for n in range(%d)]))
"""
RUNS_REPORT = """
import json, uuid
from django_tasks_db.models import DBTaskResult
from codedrill.lab.models import LabRun
mine = LabRun.objects.filter(pk__in=%s)
# A list, not a subquery: SQLite keeps a UUID without dashes, run.task_id has them.
task_ids = [uuid.UUID(t) for t in mine.values_list("task_id", flat=True)]
tasks = DBTaskResult.objects.filter(id__in=task_ids)
print(json.dumps({"runs": list(mine.values_list("status", "attempts")),
                  "tasks": list(tasks.values_list("worker_ids", flat=True))}))
"""


def test_two_workers_take_each_job_exactly_once(tmp_path):
    """On the database the suite runs on (PostgreSQL in CI's second pass), scoped to the runs
    this test made: the queue may be shared."""
    env = environment(tmp_path)
    prepare(env)
    jobs = 8
    ids = shell(tmp_path, CREATE_RUNS % (BLOCKING_ID, jobs))
    workers = [
        subprocess.Popen(
            [CODEDRILL, "labworker", "--slot", str(slot)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        for slot in range(2)
    ]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            report = shell(tmp_path, RUNS_REPORT % ids)
            if all(status in ("done", "failed") for status, _ in report["runs"]):
                break
            time.sleep(0.5)
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(15)
    assert report["runs"] == [["done", 1]] * jobs
    assert len(report["tasks"]) == jobs and all(len(ids) == 1 for ids in report["tasks"])
    assert {ids[0] for ids in report["tasks"]} == {"lab-0", "lab-1"}  # both took a share
    for worker in workers:
        assert left_running(worker.pid) == []


def test_a_postgresql_run_through_the_api_loses_the_sales_its_reading_counts(tmp_path):
    """The lost-updates lab runs on PostgreSQL: the worker's
    sandbox run gets a cluster of its own, and gunicorn's threads lose the sales a read,
    wait, save() loses on READ COMMITTED."""
    env = environment(tmp_path)
    prepare(env)
    with serve(tmp_path, LAB_WORKERS="1") as (base, _process), api_client(base) as client:
        listed = {e["slug"]: e for e in client.get("/api/v1/patterns/lost-updates/lab").json()}
        lost_sales = listed["lost-sales"]
        assert lost_sales["database"] == "postgresql" and lost_sales["predict"] == ["tally"]
        body = {"experiment": lost_sales["id"], "server": "gunicorn", "endpoint": "/save/",
                "parameters": {"requests": 4, "threads": 4, "delay": 0.3},
                "prediction": {"tally": 96}, "live": True}  # fmt: skip
        token = {"X-CSRFToken": client.cookies["csrftoken"]}
        started = client.post("/api/v1/lab/runs", json=body, headers=token)
        assert started.status_code == 202, started.text
        run = wait_for(client, started.json()["id"], {"done", "failed"}, 90)
    assert run["status"] == "done", run["reason"]
    # Four buyers read 100 at once, each waits 0.3 s, and each writes back 99: at least two
    # read before the first wrote, even on a machine slow to start the threads.
    assert [r["status"] for r in run["requests"]] == [200] * 4 and 96 < run["tally"] <= 99
    assert run["knobs"]["database"] == "postgresql" and run["prediction"] == {"tally": 96}
    assert run["reading"].startswith(
        f"All 4 buyers were told their teapot was sold, but the stock fell by only "
        f"{100 - run['tally']}, to {run['tally']}: "
    )
