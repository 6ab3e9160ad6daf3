"""Start codedrill exactly as `make run` does, on a free loopback port, for tests that need
a real server process (crash safety, restarts, concurrency)."""

import atexit
import contextlib
import functools
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from conftest import BUNDLED_CONTENT, CODEDRILL

from codedrill.lab.engine import free_port

PORT_TRIES = 3


@functools.cache
def live_database(url: str) -> str:
    """A PostgreSQL database of this run's own, beside DATABASE_URL's, for servers and
    commands the tests start (in-process tests have pytest-django's): the database the URL
    names is never written to. Dropped when the run ends."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = f"test_{parts.path.lstrip('/')}_live_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as admin:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            admin.execute(drop.format(sql.Identifier(name)))

    atexit.register(drop)
    return parts._replace(path=f"/{name}").geturl()


def environment(data_dir: Path, **extra: str) -> dict:
    """The environment of a codedrill command on `data_dir`, as in production: SQLite in that
    folder, or on PostgreSQL the run's live database (`live_database`)."""
    env = {**os.environ, "CODEDRILL_DATA_DIR": str(data_dir), **extra}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    if env.get("DATABASE_URL"):
        env["DATABASE_URL"] = live_database(env["DATABASE_URL"])
    return env


def prepare(env: dict) -> None:
    """migrate, collectstatic and publish, as `make run` does before serving."""
    steps = [
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["publish", str(BUNDLED_CONTENT)],
    ]
    for args in steps:
        subprocess.run([CODEDRILL, *args], env=env, check=True, capture_output=True, timeout=120)


def start(data_dir: Path, env: dict) -> tuple[str, subprocess.Popen] | None:
    """`codedrill serve` on a free port, once it answers; None if another process took the
    port between `free_port()` finding it free and the server binding it."""
    port = free_port()
    log_path = data_dir / "server.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [CODEDRILL, "serve"],
            env={**env, "PORT": str(port)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return base, process
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            output = log_path.read_text()
            if "Address already in use" in output:
                log_path.write_text("")  # the next try's log starts clean
                return None
            raise RuntimeError(output)
        time.sleep(0.1)


@contextlib.contextmanager
def serve(data_dir: Path, **extra_env: str) -> Iterator[tuple[str, subprocess.Popen]]:
    env = environment(data_dir, **extra_env)
    if not (data_dir / "static").exists():
        prepare(env)
    for _ in range(PORT_TRIES):
        if started := start(data_dir, env):
            break
    else:
        raise RuntimeError(f"no free port after {PORT_TRIES} tries")
    base, process = started
    try:
        yield base, process
    finally:
        stop(process)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop the server and every worker it forked (they share its process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    # Workers may outlive the master for a moment after SIGKILL; make sure none is left.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
