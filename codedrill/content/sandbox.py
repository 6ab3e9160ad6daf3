"""Run one Python program (a proof) contained, and say by name how it ended.

On Linux as root, the program gets its own network namespace (only its own loopback), PID
namespace (killing it kills everything it started) and mount namespace (its working folder is
a size-limited tmpfs). Everywhere it gets resource limits, a wall-clock timeout, capped output
and a process-count watchdog. docs/authoring.md, "The sandbox", is the user-facing account.
"""

import contextlib
import functools
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from codedrill.content.proofs import CODE_ENV, OBSERVATION_ENV

WALL_SECONDS = 60  # the default; the CPU limit is three quarters of it, so a busy loop is
# named "cpu-limit" and a proof that sleeps forever "timeout"
MEMORY_BYTES = 2 * 1024**3  # address space per process
FILE_BYTES = 64 * 1024**2
DISK_BYTES = 256 * 1024**2  # the tmpfs working folder
MAX_PROCESSES = 64
OUTPUT_KEPT = 4000
OUTPUT_LIMIT = 2 * 1024**2

# How a run ended, besides "ok"; every one is reported by this name.
FAILURES = (
    "timeout",
    "cpu-limit",
    "memory-limit",
    "file-too-large",
    "disk-full",
    "too-many-processes",
    "output-flood",
    "crashed",
    "no-observation",
)


@dataclass
class Outcome:
    status: str  # "ok" or one of FAILURES
    observation: str  # the text the program wrote to its observation file
    output: str  # the end of its combined stdout and stderr
    seconds: float


@functools.cache
def namespaces_available() -> bool:
    """Whether this machine lets us give a proof its own network, PID and mount namespaces."""
    if not (sys.platform == "linux" and shutil.which("unshare") and shutil.which("ip")):
        return False
    try:
        probe = subprocess.run(  # noqa: S603 - fixed argv
            [*_unshare(), "sh", "-c", "ip link set lo up"], capture_output=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def _unshare() -> list[str]:
    return ["unshare", "--net", "--pid", "--mount", "--fork", "--kill-child=SIGKILL",
            "--mount-proc"]  # fmt: skip


def _limits(cpu_seconds: int) -> None:
    """Runs in the child before exec; every process the proof starts inherits these."""
    for limit, value in (
        (resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5)),
        (resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES)),
        (resource.RLIMIT_FSIZE, (FILE_BYTES, FILE_BYTES)),
        (resource.RLIMIT_NOFILE, (1024, 1024)),
        (resource.RLIMIT_CORE, (0, 0)),
        (resource.RLIMIT_NPROC, (MAX_PROCESSES * 4, MAX_PROCESSES * 4)),  # binds non-root only
    ):
        resource.setrlimit(limit, value)


def _descendants(root: int) -> int:
    """How many processes descend from `root`, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    count, todo = 0, [root]
    while todo:
        found = children.get(todo.pop(), [])
        count += len(found)
        todo.extend(found)
    return count


def run_python(
    files: dict[str, str], script: str, env: dict[str, str], timeout: float = WALL_SECONDS
) -> Outcome:
    """Run `script` (one of `files`, written into a fresh folder) with the venv's Python."""
    base = Path(tempfile.mkdtemp(prefix="codedrill-proof-"))
    src, work = base / "src", base / "run"
    for folder in (src, work):
        folder.mkdir()
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    # The observation comes back through a pipe, so the proof needs no writable host folder.
    observation_fd, write_fd = os.pipe()
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CODEDRILL_"))}
    child_env.update(env, TMPDIR=str(work), HOME=str(work), PYTHONDONTWRITEBYTECODE="1")
    child_env.update({OBSERVATION_ENV: f"/dev/fd/{write_fd}", CODE_ENV: str(work / "code.py")})
    python = [sys.executable, script]
    if namespaces_available():
        # Every mount becomes read-only in the proof's namespace, then its working folder is
        # mounted on top as a size-limited tmpfs: the only place it can write.
        inner = (
            "ip link set lo up"
            " && for m in $(awk '{print $2}' /proc/self/mounts); do"
            ' mount -o remount,bind,ro "$m" 2>/dev/null; done'
            f' && mount -t tmpfs -o size={DISK_BYTES},mode=700 tmpfs "{work}"'
            f' && cp -a "{src}/." "{work}/" && cd "{work}" && "$@"'
        )
        # sh stays as the namespace's init: the kernel does not deliver signals such as SIGXCPU
        # to an init process without a handler, so the proof must not be PID 1.
        command = [*_unshare(), "sh", "-c", inner, "proof", *python]
    else:
        shutil.copytree(src, work, dirs_exist_ok=True)
        command = python
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - fixed argv; the proof is the content under check
        command, cwd=work, env=child_env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, start_new_session=True, pass_fds=(write_fd,),
        preexec_fn=functools.partial(_limits, max(1, int(timeout * 3 / 4))),
    )  # fmt: skip
    os.close(write_fd)
    observed = bytearray()

    def collect() -> None:
        with os.fdopen(observation_fd, "rb") as pipe:
            for chunk in iter(lambda: pipe.read1(65536), b""):
                if len(observed) < OUTPUT_LIMIT:
                    observed.extend(chunk)

    tail: deque[str] = deque()
    kept = 0
    total = 0
    reason = ""

    def kill(why: str) -> None:
        nonlocal reason
        reason = reason or why
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def drain() -> None:
        nonlocal kept, total
        for chunk in iter(lambda: process.stdout.read1(65536), b""):
            total += len(chunk)
            tail.append(chunk.decode("utf-8", "replace"))
            kept += len(tail[-1])
            while kept > OUTPUT_KEPT * 2 and len(tail) > 1:
                kept -= len(tail.popleft())
            if total > OUTPUT_LIMIT:
                kill("output-flood")

    readers = [threading.Thread(target=f, daemon=True) for f in (drain, collect)]
    for reader in readers:
        reader.start()
    while process.poll() is None:
        if time.monotonic() - started > timeout:
            kill("timeout")
        elif _descendants(process.pid) > MAX_PROCESSES:
            kill("too-many-processes")
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(0.1)
    for reader in readers:
        reader.join(5)
    output = "".join(tail)[-OUTPUT_KEPT:]
    text = observed.decode("utf-8", "replace")
    shutil.rmtree(base, ignore_errors=True)
    status = reason or _classify(process.returncode, output, text)
    return Outcome(status, text, output, time.monotonic() - started)


def _classify(code: int, output: str, observation: str) -> str:
    signal_number = -code if code < 0 else code - 128 if code > 128 else 0
    if signal_number in (signal.SIGXCPU, signal.SIGKILL) and "MemoryError" not in output:
        return "cpu-limit" if signal_number == signal.SIGXCPU else "crashed"
    if "MemoryError" in output or "Cannot allocate memory" in output:
        return "memory-limit"
    if signal_number == signal.SIGXFSZ or "File too large" in output:
        return "file-too-large"
    if "No space left on device" in output:
        return "disk-full"
    if code != 0:
        return "crashed"
    return "ok" if observation else "no-observation"
