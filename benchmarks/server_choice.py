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
import os
import platform
import random
import re
import resource
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
BIN = Path(sys.executable).parent  # the venv's scripts, `codedrill` among them
HOST = "127.0.0.1"
PATH = "/patterns/async-django/"  # a typical page: a few sync ORM reads and a template
CONCURRENCY = 16
WARMUP_S = 2  # fills per-worker caches: imports, DB connection, template loading
DURATION_S = 8
WORKERS = 2
THREADS = 4  # per worker: gthread gets the same 8 request slots as `codedrill serve`
BACKLOG = 2048  # what `codedrill serve` passes; every other server is set to match
WRK = shutil.which("wrk") is not None

# codedrill ships no ASGI module (README "Why WSGI"), so the benchmark brings its own.
ASGI_DJANGO = """\
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codedrill.settings")
application = get_asgi_application()
"""
# The ceiling: what uvicorn answers per second when the app costs nothing.
ASGI_HELLO = """\
async def app(scope, receive, send):
    headers = [(b"content-type", b"text/plain")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"hello"})
"""
# wrk's summary as one JSON line: parsing its human output ("1.2ms", "3.4k") is fragile.
# errors.status counts responses >= 400; wait_ready() has checked the page answers 200.
WRK_REPORT = """\
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "non2xx": %d, ' ..
    '"socket_errors": %d}\\n', summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def uvicorn(app: str, workers: int) -> list[str]:
    # Lifespan off: Django's ASGI handler does not implement it. Loop and HTTP parser are
    # uvicorn's "auto", i.e. uvloop and httptools when installed (recorded in the knobs).
    return [
        sys.executable, "-m", "uvicorn", app, "--host", HOST, "--port", "{port}",
        "--workers", str(workers), "--backlog", str(BACKLOG), "--lifespan", "off",
    ]  # fmt: skip


# (name, needs a codedrill data dir, argv). Access logs stay on as in production: `codedrill
# serve` logs every request, uvicorn does by default and granian is told to.
SETUPS = [
    # HOST, PORT, WEB_WORKERS and WEB_THREADS come from the environment, as in production.
    ("granian wsgi (codedrill serve)", True, [str(BIN / "codedrill"), "serve"]),
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


def free_port() -> int:
    # Below 32768, Linux's ephemeral range, so no client socket of the load generator can
    # already hold it.
    for _ in range(100):
        port = random.randint(20000, 32767)
        with socket.socket() as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below 32768")


def prepare(env: dict[str, str]) -> None:
    for args in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["publish"]):
        subprocess.run([BIN / "codedrill", *args], env=env, check=True, capture_output=True)


def get(port: int) -> int:
    # http.client, not urllib: a redirect must count as a failure, not be followed.
    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        conn.request("GET", PATH)
        return conn.getresponse().status
    finally:
        conn.close()


def wait_ready(proc: subprocess.Popen, port: int, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; see {log}")
        try:
            status = get(port)
        except OSError:
            time.sleep(0.2)
            continue
        if status != 200:
            raise RuntimeError(f"GET {PATH} answered {status}; see {log}")
        return
    raise RuntimeError(f"server not ready after {timeout} s; see {log}")


def stop(proc: subprocess.Popen) -> None:
    # The server runs in its own session, so its process group holds the master and every
    # worker: signal the group, not just the pid we know.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers, e.g. a worker ignoring SIGTERM
    proc.wait()


def cpu_seconds(pgid: int) -> tuple[float, float, float]:
    """CPU seconds used so far by the server's process group, the client, the whole machine."""
    tick = os.sysconf("SC_CLK_TCK")
    server = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:  # pgrp; then utime and stime
                server += int(fields[11]) + int(fields[12])
    # wrk is a finished child by the time this is read; the Python client is this process.
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    client = sum(u.ru_utime + u.ru_stime for u in usage)
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split()[1:9]
    )
    machine = user + nice + system + irq + softirq + steal
    return server / tick, client, machine / tick


def drive(port: int, seconds: int, wrk_script: Path) -> dict:
    if not WRK:
        return drive_python(port, seconds)
    # One wrk thread: on a 2-core machine every core the client takes is one the server lacks.
    out = subprocess.run(
        ["wrk", "-t1", f"-c{CONCURRENCY}", f"-d{seconds}s", "--timeout", "5s",
         "-s", wrk_script, f"http://{HOST}:{port}{PATH}"],
        capture_output=True, text=True, check=True, timeout=seconds + 30,
    ).stdout  # fmt: skip
    r = json.loads(out.strip().splitlines()[-1])
    return {
        "rps": r["requests"] / (r["duration_us"] / 1e6),
        "p50_ms": r["p50_us"] / 1000,
        "p99_ms": r["p99_us"] / 1000,
        "non2xx": r["non2xx"],
        "socket_errors": r["socket_errors"],
    }


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
    }


def measure(index: int, name: str, django: bool, argv: list[str], tmp: Path) -> dict:
    port = free_port()
    env = os.environ | {
        "HOST": HOST,
        "PORT": str(port),
        "WEB_WORKERS": str(WORKERS),
        "WEB_THREADS": str(THREADS),
        "DEBUG": "0",  # production settings, whatever the caller's shell has
        "HTTPS": "0",  # plain HTTP on loopback: no redirect to https
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp), os.environ.get("PYTHONPATH")])),
    }
    if django:
        env["CODEDRILL_DATA_DIR"] = str(tmp / f"data-{index}")
        prepare(env)
    log = OUT / f"server_choice-{index}-{re.sub(r'[^a-z]+', '-', name)}.log"
    with log.open("w") as log_file:
        # Access logs go to stdout (discarded), errors to stderr (kept in benchmarks/out/).
        # granian logs both to stdout, so its log keeps only Django's own errors.
        proc = subprocess.Popen(
            [a.replace("{port}", str(port)) for a in map(str, argv)],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log_file,
            start_new_session=True,
        )  # fmt: skip
        try:
            wait_ready(proc, port, log)
            drive(port, WARMUP_S, tmp / "report.lua")
            before = cpu_seconds(proc.pid)
            result = drive(port, DURATION_S, tmp / "report.lua")
            server, client, machine = (
                b - a for a, b in zip(before, cpu_seconds(proc.pid), strict=True)
            )
        finally:
            stop(proc)
    return {
        "setup": name,
        **result,
        # CPU per request does not depend on how many cores were free, unlike req/s.
        "server_cpu_ms_per_req": 1000 * server / (result["rps"] * DURATION_S),
        # The machine is shared: CPU burnt by anything else (other jobs, a PostgreSQL server) in
        # the run skews req/s. Tick-based accounting makes this ±5 points, not exact.
        "other_cpu_pct": 100 * (machine - server - client) / (DURATION_S * os.cpu_count()),
    }


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("django", "gunicorn", "granian", "uvicorn", "uvloop", "httptools"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    if WRK:
        wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
        found["wrk"] = (wrk.stdout or wrk.stderr).split("[")[0].strip()
    url = os.environ.get("DATABASE_URL")
    found["db"] = (
        f"{url.split(':', 1)[0]} (DATABASE_URL)" if url else f"sqlite {sqlite3.sqlite_version}"
    )
    return found


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
    # A SIGTERM to this script must still run the finally blocks that stop the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT.mkdir(exist_ok=True)
    started = time.monotonic()
    knobs = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": shlex.join([os.path.relpath(sys.executable), *sys.argv]),
        "cpus": os.cpu_count(),
        "path": PATH,
        "workers": WORKERS,
        "threads_per_worker": THREADS,
        "backlog": BACKLOG,
        "client": f"{'wrk -t1' if WRK else 'python threads'}, {CONCURRENCY} connections",
        "warmup_s": WARMUP_S,
        "duration_s": DURATION_S,
        "versions": versions(),
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
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    record = OUT / f"server_choice-{stamp}.json"
    record.write_text(json.dumps({"knobs": knobs, "results": results}, indent=2) + "\n")
    print(f"recorded in {record.relative_to(REPO)}")


if __name__ == "__main__":
    main()
