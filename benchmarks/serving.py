"""What the benchmarks share: servers started as `make run` starts codedrill, each in a process
group of its own and always stopped; wrk's summary read back as JSON; CPU accounting; versions.

The scripts beside this file import it (`python benchmarks/x.py` puts benchmarks/ on sys.path).
"""

import contextlib
import http.client
import json
import os
import platform
import random
import resource
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
BIN = Path(sys.executable).parent  # the venv's scripts, `codedrill` among them
HOST = "127.0.0.1"
BACKLOG = 2048  # what `codedrill serve` passes; every other server is set to match
WRK = shutil.which("wrk") is not None
# HOST, PORT, WEB_WORKERS and WEB_THREADS come from the environment, as in production.
CODEDRILL_SERVE = [str(BIN / "codedrill"), "serve"]

# The ceiling: what uvicorn answers per second when the app costs nothing.
ASGI_HELLO = """\
async def app(scope, receive, send):
    headers = [(b"content-type", b"text/plain")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"hello"})
"""
# What the server runs on, read through its own settings: the pool size depends on the database.
SERVER_FACTS = """\
import json
from django.conf import settings
from django.db import connection
cursor = connection.cursor()
sqlite = connection.vendor == "sqlite"
cursor.execute("select sqlite_version()" if sqlite else "show server_version")
print(json.dumps({
    "db_server": f"{connection.vendor} {cursor.fetchone()[0].split()[0]}",
    "web_workers": settings.SERVER_WORKERS,
    "web_threads": settings.SERVER_THREADS,
}))
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
    # uvicorn's "auto", i.e. uvloop and httptools when installed (recorded in the versions).
    return [
        sys.executable, "-m", "uvicorn", app, "--host", HOST, "--port", "{port}",
        "--workers", str(workers), "--backlog", str(BACKLOG), "--lifespan", "off",
    ]  # fmt: skip


def run_facts() -> dict:
    """The first knobs of every record. Also makes a SIGTERM run the `finally` blocks that
    stop the servers, as Ctrl-C does."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT.mkdir(exist_ok=True)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": shlex.join([os.path.relpath(sys.executable), *sys.argv]),
        "cpus": os.cpu_count(),
    }


def save(name: str, record: dict) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = OUT / f"{name}-{stamp}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    return path


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


def server_env(port: int, **extra: str) -> dict[str, str]:
    return os.environ | {
        "HOST": HOST,
        "PORT": str(port),
        "DEBUG": "0",  # production settings, whatever the caller's shell has
        "HTTPS": "0",  # plain HTTP on loopback: no redirect to https
        **extra,
    }


def pythonpath(folder: Path) -> str:
    """PYTHONPATH with `folder` first, for modules a server must import from outside the repo."""
    return os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))


@contextlib.contextmanager
def prepared(env: dict[str, str]) -> Iterator[dict[str, str]]:
    """What `make run` does before it serves (migrate, collect static files, publish content),
    into a database of the run's own; yields the environment that points at it. SQLite's lives
    in env's CODEDRILL_DATA_DIR. With a PostgreSQL DATABASE_URL, a new database on that server,
    dropped afterwards: the database the URL names is never written to."""
    url = env.get("DATABASE_URL")
    own = f"codedrill_bench_{os.getpid()}_{random.randrange(10**6)}" if url else None
    if own:
        _postgres(url, f'CREATE DATABASE "{own}"')
        env = env | {"DATABASE_URL": urlsplit(url)._replace(path=f"/{own}").geturl()}
    try:
        for args in (
            ["migrate", "--noinput", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
            ["publish"],
        ):
            subprocess.run([BIN / "codedrill", *args], env=env, check=True, capture_output=True)
        yield env
    finally:
        if own:
            _postgres(url, f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')


def _postgres(url: str, statement: str) -> None:
    import psycopg  # the postgres extra: only runs against PostgreSQL need it

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)


def django_shell(env: dict[str, str], code: str) -> str:
    """Run `code` in `codedrill shell` against the server's database; its stdout."""
    done = subprocess.run(
        [BIN / "codedrill", "shell", "-v0", "-c", code],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout.strip()


def server_facts(env: dict[str, str]) -> dict:
    """The database server's version and `codedrill serve`'s workers and threads under `env`."""
    return json.loads(django_shell(env, SERVER_FACTS))


def served_by(facts: dict) -> str:
    return f"{facts['db_server']}, {facts['web_workers']} × {facts['web_threads']}"


def get(port: int, path: str) -> int:
    # http.client, not urllib: a redirect must count as a failure, not be followed.
    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def wait_ready(
    proc: subprocess.Popen, port: int, path: str, log: Path, timeout: float = 30
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; see {log}")
        try:
            status = get(port, path)
        except OSError:
            time.sleep(0.2)
            continue
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}; see {log}")
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


@contextlib.contextmanager
def running(
    argv: list[str], env: dict[str, str], log: Path, ready_path: str
) -> Iterator[subprocess.Popen]:
    """The server from `argv` ("{port}" replaced by env's PORT), ready to answer `ready_path`
    with 200; stopped with its whole process group on the way out, whatever happens."""
    port = env["PORT"]
    with log.open("w") as log_file:
        # Access logs go to stdout (discarded), errors to stderr (kept in benchmarks/out/).
        # granian logs both to stdout, so its log keeps only Django's own errors.
        proc = subprocess.Popen(
            [a.replace("{port}", port) for a in map(str, argv)],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log_file,
            start_new_session=True,
        )  # fmt: skip
        try:
            wait_ready(proc, int(port), ready_path, log)
            yield proc
        finally:
            stop(proc)


def cpu_seconds(pgid: int) -> tuple[float, float, float]:
    """CPU seconds used so far by the server's process group, the client, the whole machine."""
    tick = os.sysconf("SC_CLK_TCK")
    server = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:  # pgrp; then utime and stime
                server += int(fields[11]) + int(fields[12])
    # wrk is a finished child by the time this is read; a Python client is this process.
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    client = sum(u.ru_utime + u.ru_stime for u in usage)
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split()[1:9]
    )
    machine = user + nice + system + irq + softirq + steal
    return server / tick, client, machine / tick


def cpu_shares(
    before: tuple[float, float, float],
    after: tuple[float, float, float],
    requests: float,
    seconds: float,
) -> dict[str, float]:
    server, client, machine = (b - a for a, b in zip(before, after, strict=True))
    return {
        # CPU per request does not depend on how many cores were free, unlike req/s.
        "server_cpu_ms_per_req": 1000 * server / requests,
        # The machine is shared: CPU burnt by anything else (other jobs, a PostgreSQL server) in
        # the run skews req/s. Tick-based accounting makes this ±5 points, not exact.
        "other_cpu_pct": 100 * (machine - server - client) / (seconds * os.cpu_count()),
    }


def wrk(
    port: int,
    path: str,
    connections: int,
    seconds: float,
    script: Path,
    args: tuple[str, ...] = (),
) -> dict:
    """A wrk run whose `script` ends with WRK_REPORT; `args` go to the script's init()."""
    # One wrk thread: on a 2-core machine every core the client takes is one the server lacks.
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
         "-s", script, f"http://{HOST}:{port}{path}", *(["--", *args] if args else [])],
        capture_output=True, text=True, check=True, timeout=seconds + 30,
    ).stdout  # fmt: skip
    r = json.loads(out.strip().splitlines()[-1])
    return {
        "rps": r["requests"] / (r["duration_us"] / 1e6),
        "p50_ms": r["p50_us"] / 1000,
        "p99_ms": r["p99_us"] / 1000,
        "non2xx": r["non2xx"],
        "socket_errors": r["socket_errors"],
        "requests": r["requests"],
    }


def versions(packages: tuple[str, ...]) -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in packages:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    if WRK:
        out = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
        found["wrk"] = (out.stdout or out.stderr).split("[")[0].strip()
    url = os.environ.get("DATABASE_URL")
    found["db"] = (
        f"{url.split(':', 1)[0]} (DATABASE_URL)" if url else f"sqlite {sqlite3.sqlite_version}"
    )
    return found
