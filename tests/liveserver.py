"""Start codedrill exactly as `make run` does, on a free loopback port, for tests that need
a real server process (crash safety, restarts, concurrency)."""

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from conftest import BUNDLED_CONTENT, CODEDRILL

from codedrill.lab.engine import free_port


def prepare(env: dict) -> None:
    """migrate, collectstatic and publish, as `make run` does before serving."""
    steps = [
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["publish", str(BUNDLED_CONTENT)],
    ]
    for args in steps:
        subprocess.run([CODEDRILL, *args], env=env, check=True, capture_output=True, timeout=120)


@contextlib.contextmanager
def serve(data_dir: Path, **extra_env: str) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    env = {**os.environ, "CODEDRILL_DATA_DIR": str(data_dir), "PORT": str(port), **extra_env}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the server runs as in production
    if not (data_dir / "static").exists():
        prepare(env)
    log = open(data_dir / "server.log", "ab")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [CODEDRILL, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((data_dir / "server.log").read_text())
            time.sleep(0.1)
        yield base, process
    finally:
        stop(process)
        log.close()


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
