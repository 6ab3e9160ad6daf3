"""The Lab under load, on `codedrill serve` as `make run` starts it (granian and one lab worker
per core, each pinning its runs to its own core):

1. overhead: what a live run costs beyond its requests (queue pick-up, sandbox, server start
   and stop, storing), from 8 one-request runs one after another;
2. waves of 5, 20 and 50 learners each asking for one live run at once: live runs per minute
   at the default slots, and the median wait in the queue;
3. a memoized result page, read 200 times, beside the Learn page read the same way;
4. a CPU-bound experiment alone, then two at once (one per slot): does the story change?

Usage: .venv/bin/python benchmarks/lab_load.py
Writes benchmarks/out/lab_load-*.json and prints the tables for benchmarks/README.md.
"""

import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from learner import Learner
from serving import (
    CODEDRILL_SERVE,
    OUT,
    django_shell,
    free_port,
    prepared,
    run_facts,
    running,
    save,
    server_env,
)

BLOCKING = "f25c99b1-93c0-4151-91e5-d0c64932a801"
CPU_BOUND = "ecaf1cb9-1cb4-4419-a0b8-4ab6a859b691"
RUNS = """
import json
from codedrill.lab.models import LabRun
rows = LabRun.objects.filter(pk__in={ids}).select_related("result")
print(json.dumps([{{"status": r.status, "created": r.created.timestamp(),
    "started": r.started and r.started.timestamp(),
    "finished": r.finished and r.finished.timestamp(),
    "wall": r.result and r.result.wall, "reading": r.result and r.result.reading,
    "reason": r.reason}} for r in rows]))
"""


def start(port: int, experiment: str, choice: dict, live: bool = True) -> tuple[Learner, int]:
    learner = Learner(port)
    learner.api("GET", "/api/v1/csrf")
    body = {"experiment": experiment, **choice, "prediction": {"wall": 1, "probe": 1}, "live": live}
    found = learner.api("POST", "/api/v1/lab/runs", body, expect=202 if live else 200)
    return learner, found["id"]


def finished(env: dict, ids: list[int], timeout: float = 600) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = json.loads(django_shell(env, RUNS.format(ids=ids)))
        if all(row["status"] in ("done", "failed") for row in rows):
            failed = [row["reason"] for row in rows if row["status"] == "failed"]
            if failed:
                raise RuntimeError(f"{len(failed)} runs failed: {failed[0][:300]}")
            return rows
        time.sleep(1)
    raise RuntimeError(f"runs not finished after {timeout} s")


def wave(port: int, env: dict, learners: int) -> dict:
    choice = {"server": "uvicorn", "endpoint": "/awaiting/",
              "parameters": {"requests": 3, "delay": 0.5}}  # fmt: skip
    with ThreadPoolExecutor(learners) as pool:
        ids = [
            run_id
            for _, run_id in pool.map(lambda _: start(port, BLOCKING, choice), range(learners))
        ]
    rows = finished(env, ids)
    waits = sorted(row["started"] - row["created"] for row in rows)
    span = max(row["finished"] for row in rows) - min(row["created"] for row in rows)
    return {"learners": learners, "runs_per_minute": round(60 * learners / span, 1),
            "median_wait_s": round(statistics.median(waits), 1),
            "longest_wait_s": round(waits[-1], 1), "span_s": round(span, 1)}  # fmt: skip


def main() -> None:
    record = run_facts()
    with tempfile.TemporaryDirectory(prefix="codedrill-lab-bench-") as data:
        port = free_port()
        env = server_env(port, CODEDRILL_DATA_DIR=data, LAB_RUNS_PER_HOUR="1000",
                         LAB_GUEST_RUNS_PER_HOUR="1000", LAB_QUEUE_LIMIT="100")  # fmt: skip
        log = Path(data) / "server.log"
        with prepared(env) as env, running(CODEDRILL_SERVE, env, log, "/healthz"):
            # 1. overhead per run
            ping = {"server": "uvicorn", "endpoint": "/ping/", "parameters": {"requests": 1}}
            rows = [finished(env, [start(port, BLOCKING, ping)[1]])[0] for _ in range(8)]
            overhead = sorted(r["finished"] - r["started"] - r["wall"] for r in rows)
            record["overhead_s"] = {"median": round(statistics.median(overhead), 2),
                                    "max": round(overhead[-1], 2), "runs": len(rows)}  # fmt: skip
            print(f"overhead: {record['overhead_s']}", flush=True)
            # 2. waves
            record["waves"] = []
            for learners in (5, 20, 50):
                record["waves"].append(wave(port, env, learners))
                print(record["waves"][-1], flush=True)
            # 3. a memoized result page
            choice = {"server": "uvicorn", "endpoint": "/awaiting/",
                      "parameters": {"requests": 3, "delay": 0.5}}  # fmt: skip
            learner, run_id = start(port, BLOCKING, choice, live=False)
            record["page_ms"] = {}
            # The Learn page beside it, timed the same way in the same run, as the yardstick.
            for name, path in (("memoized run", f"/lab/runs/{run_id}/"),
                               ("learn (yardstick)", "/patterns/async-django/learn/")):  # fmt: skip
                seconds = []
                for _ in range(220):
                    began = time.perf_counter()
                    reply = learner.request("GET", path)
                    seconds.append(time.perf_counter() - began)
                    assert reply.status == 200, reply.status
                seconds = sorted(seconds[20:])
                p90 = seconds[int(len(seconds) * 0.9)]
                record["page_ms"][name] = {"median": round(1000 * statistics.median(seconds), 2),
                                           "p90": round(1000 * p90, 2)}  # fmt: skip
            print(f"pages: {record['page_ms']}", flush=True)
            # 4. CPU-bound alone, then beside another
            cpu = {"server": "gunicorn", "endpoint": "/sync-cpu/",
                   "parameters": {"requests": 3, "work": 1.0}}  # fmt: skip
            alone = finished(env, [start(port, CPU_BOUND, cpu)[1]])[0]
            with ThreadPoolExecutor(2) as pool:
                pair = list(pool.map(lambda _: start(port, CPU_BOUND, cpu)[1], range(2)))
            beside = finished(env, pair)
            record["cpu_bound"] = {
                "alone": {"wall": alone["wall"], "reading": alone["reading"]},
                "beside": [{"wall": r["wall"], "reading": r["reading"]} for r in beside],
            }
            print(json.dumps(record["cpu_bound"], indent=1), flush=True)
    path = save("lab_load", record)
    print(f"saved {path.relative_to(OUT.parent.parent)}")


if __name__ == "__main__":
    sys.exit(main())
