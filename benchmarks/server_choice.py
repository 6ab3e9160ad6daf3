"""Which production server should serve codedrill? Five setups measured in one run.

Run by hand from the repository root (about 60 s; gunicorn and uvicorn must be in the venv):

    .venv/bin/python benchmarks/server_choice.py

Each server is a subprocess on 127.0.0.1 with its own temporary CODEDRILL_DATA_DIR (SQLite), or
the DATABASE_URL from the environment. The load generator is wrk when installed, else a Python
one. Output: a Markdown table on stdout and a JSON record in benchmarks/out/ (gitignored).
"""

import contextlib
import http.client
import json
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

from serving import (
    ASGI_HELLO,
    BACKLOG,
    CODEDRILL_SERVE,
    HOST,
    OUT,
    REPO,
    WRK,
    WRK_REPORT,
    cpu_seconds,
    cpu_shares,
    free_port,
    prepared,
    pythonpath,
    run_facts,
    running,
    save,
    server_env,
    uvicorn,
    versions,
    wrk,
)

PATH = "/patterns/async-django/"  # a typical page: a few sync ORM reads and a template
CONCURRENCY = 16
WARMUP_S = 2  # fills per-worker caches: imports, DB connection, template loading
DURATION_S = 8
WORKERS = 2
THREADS = 4  # per worker: gthread gets the same 8 request slots as `codedrill serve`

# codedrill ships no ASGI module (README "Why WSGI"), so the benchmark brings its own.
ASGI_DJANGO = """\
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codedrill.settings")
application = get_asgi_application()
"""

# (name, needs a codedrill data dir, argv). Access logs stay on as in production: `codedrill
# serve` logs every request, uvicorn does by default and granian is told to.
SETUPS = [
    ("granian wsgi (codedrill serve)", True, CODEDRILL_SERVE),
    ("gunicorn gthread", True, [
        sys.executable, "-m", "gunicorn", "codedrill.wsgi", "--bind", f"{HOST}:{{port}}",
        "--worker-class", "gthread", "--workers", str(WORKERS), "--threads", str(THREADS),
        "--backlog", str(BACKLOG), "--no-control-socket", "--access-logfile", "-",
    ]),
    ("gunicorn sync", True, [
        sys.executable, "-m", "gunicorn", "codedrill.wsgi", "--bind", f"{HOST}:{{port}}",
        "--worker-class", "sync", "--workers", str(WORKERS), "--backlog", str(BACKLOG),
        "--no-control-socket", "--access-logfile", "-",
    ]),
    ("uvicorn asgi", True, uvicorn("codedrill_asgi:application", WORKERS)),
    ("ceiling: hello asgi", False, uvicorn("hello_asgi:app", 1)),
]  # fmt: skip


def drive(port: int, seconds: int, wrk_script: Path) -> dict:
    if not WRK:
        return drive_python(port, seconds)
    return wrk(port, PATH, CONCURRENCY, seconds, wrk_script)


def drive_python(port: int, seconds: int) -> dict:
    """Fallback without wrk: CONCURRENCY keep-alive clients; the GIL makes it the bottleneck."""
    deadline = time.monotonic() + seconds
    # Lists, because list.append is atomic across threads and `+=` on a shared int is not.
    latencies: list[float] = []
    non2xx: list[int] = []
    socket_errors: list[int] = []

    def client() -> None:
        conn = None
        while time.monotonic() < deadline:
            conn = conn or http.client.HTTPConnection(HOST, port, timeout=5)
            start = time.perf_counter()
            try:
                conn.request("GET", PATH)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                socket_errors.append(1)
                conn.close()
                conn = None
                continue
            latencies.append(time.perf_counter() - start)
            if not 200 <= response.status < 300:
                non2xx.append(response.status)
            if response.will_close:  # gunicorn sync closes after every response
                conn.close()
                conn = None

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    n = len(latencies) or 1
    return {
        "rps": len(latencies) / seconds,
        "p50_ms": latencies[n // 2] * 1000 if latencies else 0,
        "p99_ms": latencies[min(n - 1, n * 99 // 100)] * 1000 if latencies else 0,
        "non2xx": len(non2xx),
        "socket_errors": len(socket_errors),
        "requests": len(latencies),
    }


def measure(index: int, name: str, django: bool, argv: list[str], tmp: Path) -> dict:
    port = free_port()
    env = server_env(
        port,
        WEB_WORKERS=str(WORKERS),
        WEB_THREADS=str(THREADS),
        PYTHONPATH=pythonpath(tmp),
    )
    log = OUT / f"server_choice-{index}-{re.sub(r'[^a-z]+', '-', name)}.log"
    database = contextlib.nullcontext(env)
    if django:
        env["CODEDRILL_DATA_DIR"] = str(tmp / f"data-{index}")
        database = prepared(env)
    with database as env, running(argv, env, log, PATH) as proc:
        drive(port, WARMUP_S, tmp / "report.lua")
        before = cpu_seconds(proc.pid)
        result = drive(port, DURATION_S, tmp / "report.lua")
        after = cpu_seconds(proc.pid)
    return {
        "setup": name,
        **result,
        **cpu_shares(before, after, result["rps"] * DURATION_S, DURATION_S),
    }


def table(results: list[dict]) -> str:
    base = results[0]["rps"]  # what `codedrill serve` runs
    ceiling = results[-1]["rps"]
    lines = [
        "| setup | req/s | p50 ms | p99 ms | non-2xx | socket errors | × serve | × ceiling "
        "| server CPU ms/req | other CPU % |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        lines.append(
            f"| {r['setup']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
            f"| {r['non2xx']} | {r['socket_errors']} | {r['rps'] / base:.2f} "
            f"| {r['rps'] / ceiling:.3f} | {r['server_cpu_ms_per_req']:.2f} "
            f"| {r['other_cpu_pct']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    started = time.monotonic()
    knobs = run_facts() | {
        "path": PATH,
        "workers": WORKERS,
        "threads_per_worker": THREADS,
        "backlog": BACKLOG,
        "client": f"{'wrk -t1' if WRK else 'python threads'}, {CONCURRENCY} connections",
        "warmup_s": WARMUP_S,
        "duration_s": DURATION_S,
        "versions": versions(("django", "gunicorn", "granian", "uvicorn", "uvloop", "httptools")),
    }
    print(json.dumps(knobs, indent=2), flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="codedrill-bench-") as name:
        tmp = Path(name)
        (tmp / "codedrill_asgi.py").write_text(ASGI_DJANGO)
        (tmp / "hello_asgi.py").write_text(ASGI_HELLO)
        (tmp / "report.lua").write_text(WRK_REPORT)
        for index, (setup, django, argv) in enumerate(SETUPS):
            print(f"measuring {setup} ...", flush=True)
            results.append(measure(index, setup, django, argv, tmp))
    print()
    print(table(results))
    django_runs = results[:-1]
    best = max(django_runs, key=lambda r: r["rps"])
    asgi = next(r for r in results if r["setup"] == "uvicorn asgi")
    cheapest = min(django_runs, key=lambda r: r["server_cpu_ms_per_req"])
    print(f"\nfastest on codedrill: {best['setup']}, {best['rps'] / asgi['rps']:.2f}× uvicorn asgi")
    print(
        f"least CPU per request: {cheapest['setup']}, "
        f"{asgi['server_cpu_ms_per_req'] / cheapest['server_cpu_ms_per_req']:.2f}× less than "
        "uvicorn asgi"
    )
    if busy := [r["setup"] for r in results if r["other_cpu_pct"] > 10]:
        # Setups run one after another, so a neighbour's burst lands on some rows only.
        print(
            f"warning: other processes took >10% of the CPU during: {', '.join(busy)}. "
            "req/s is skewed there, server CPU ms/req much less. Rerun on a quiet machine."
        )
    print(f"total run time: {time.monotonic() - started:.0f} s")
    record = save("server_choice", {"knobs": knobs, "results": results})
    print(f"recorded in {record.relative_to(REPO)}")


if __name__ == "__main__":
    main()
