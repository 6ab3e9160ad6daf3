"""The one sandbox for everything that runs content or learner code: proofs, lab experiments and
project submissions. It runs one program contained and says by name how it ended.

The full sandbox (Linux, root, bubblewrap) runs each program under a uid of its own, leased from
a pool so that per-uid limits belong to one run, with no capabilities and `no_new_privs`, in new
user, mount, PID, network, IPC and UTS namespaces, under a syscall filter (`seccomp`). It sees
the system's /usr, the Python runtime and the venv read-only, codedrill's own package, and a
private size-limited tmpfs holding its files; nothing else of the host (no data folder, no
database, no home folders, no host /proc), and no network but its own loopback.

Limits hold for the whole run: a watchdog sums the resident memory, CPU time and processes of
everything in the run's PID namespace and kills the run above its budget; per-process kernel
limits (address space, CPU, file size, tasks of the run's uid) back it up.

Where the full sandbox is not available, `run` refuses with `SandboxUnavailable` naming what is
missing, unless the caller asks for the weak fallback (`weak=True`): resource limits and a
process-session watchdog only, for an author checking their own proofs. docs/authoring.md ("The
sandbox") and the README ("Sandbox") are the user-facing account.
"""

import contextlib
import fcntl
import functools
import json
import os
import platform
import pwd
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from codedrill.sandbox import seccomp

GiB, MiB = 1024**3, 1024**2
FULL = "bubblewrap: own uid, namespaces, syscall filter"
WEAK = "weak: resource limits only, no namespaces (an author's own proofs only)"
WORK = "/box"  # the run's folder inside the sandbox: its files, its HOME and its TMPDIR
OUTPUT_KEPT = 4000  # characters of output an Outcome keeps
SHM_BYTES = 16 * MiB
OBSERVATION_ENV = "CODEDRILL_OBSERVATION"  # names the file a program writes what it observed to
POLL_SECONDS = 0.1
BUSY_WINDOW = 2.0  # seconds over which a run's busiest stretch is measured (Outcome.peak)

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


class SandboxUnavailable(Exception):
    """The full sandbox cannot run here; the message names what is missing."""


@dataclass(frozen=True)
class Limits:
    """One run's budget. The defaults let a proof run 2 servers of 4 workers each."""

    wall_seconds: float = 60.0
    cpu_seconds: float | None = None  # the whole run's CPU time; default 1.5 × wall
    memory_bytes: int = 2 * GiB  # resident memory of the whole run
    # What each process may map, a backstop to the run's meter; default: memory_bytes.
    address_bytes: int | None = None
    processes: int = 64  # processes alive at once
    output_bytes: int = 2 * MiB  # stdout and stderr together, and the observation apart
    file_bytes: int = 64 * MiB  # the largest file it may write
    disk_bytes: int = 256 * MiB  # its tmpfs
    cpus: frozenset[int] | None = None  # CPU cores to pin the run to, where the machine allows

    @property
    def cpu_total(self) -> float:
        return self.cpu_seconds or self.wall_seconds * 1.5


@dataclass
class Outcome:
    status: str  # "ok" or one of FAILURES
    observation: str  # what the program wrote to its observation file
    output: str  # the end of its combined stdout and stderr
    seconds: float
    sandbox: str = FULL  # which sandbox ran it: FULL or WEAK
    peak: dict = field(default_factory=dict)  # the most it held at once, and CPU it used
    namespace: int | None = None  # the inode of its PID namespace (full sandbox)
    session: int = 0  # its process session on the host (weak sandbox)
    ended: float = 0.0  # when it ended, in seconds since boot (see `leftovers`)


def _uids() -> range:
    first, _, last = os.environ.get("CODEDRILL_SANDBOX_UIDS", "60100-60163").partition("-")
    return range(int(first), int(last) + 1)


STATE_DIR = Path(os.environ.get("CODEDRILL_SANDBOX_STATE", "/run/codedrill-sandbox"))
# How a run's PostgreSQL cluster is made (codedrill.lab.engine), and where a run finds a
# template of it made once per machine: copying one costs a tenth of an initdb's 2 s, and its
# database of the default apps spares each run their migrate.
INITDB_OPTIONS = ["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]
POSTGRES_TEMPLATE_ENV = "CODEDRILL_POSTGRES_TEMPLATE"
# Where a run finds an SQLite database of Django's default apps, migrated once per machine and
# engine (codedrill.lab.engine.sqlite_template_name): copying it spares each run the migrate.
SQLITE_TEMPLATE_ENV = "CODEDRILL_SQLITE_TEMPLATE"


@contextlib.contextmanager
def _leased_uid(wait: float):
    """A uid no other run on this machine holds (an flock per uid, freed when its holder dies:
    two `codedrill check`s and the lab's workers share one pool)."""
    locks = STATE_DIR / "uids"
    locks.mkdir(mode=0o700, parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        for uid in _uids():
            fd = os.open(locks / str(uid), os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            try:
                yield uid
            finally:
                os.close(fd)
            return
        if time.monotonic() > deadline:
            raise SandboxUnavailable("every sandbox uid is in use; try again shortly")
        time.sleep(0.1)


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's programs (Debian's layout), if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    return found[-1].parent if found else None


@functools.cache
def _postgres_template() -> Path | None:
    """A cluster initdb made once per machine, PostgreSQL version and engine, that runs copy
    rather than make their own, holding a database of the default apps migrated that runs'
    databases are made from (codedrill.lab.engine.make_postgres_template); None without
    PostgreSQL or when making it fails (each run then makes its own). initdb and the server
    run as `nobody` (PostgreSQL will not run as root, and a sandbox uid has no passwd entry on
    the host); the result is root's, readable by every uid, read-only in runs."""
    bin_dir = postgres_bin()
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        return None
    if bin_dir is None:
        return None
    from codedrill.lab import engine

    template = STATE_DIR / f"postgres-{bin_dir.parent.name}-{engine.template_key('postgresql')}"
    if (template / "PG_VERSION").exists():
        return template
    STATE_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix="postgres-build-", dir=STATE_DIR))
    data = build / "data"
    as_nobody = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}"]

    def nobody_runs(*argv) -> bool:
        made = subprocess.run(  # noqa: S603 - fixed argv
            [*as_nobody, "--clear-groups", *map(str, argv)],
            cwd="/", env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
            capture_output=True, timeout=120, check=False,
        )  # fmt: skip
        return made.returncode == 0

    try:
        os.chown(build, nobody.pw_uid, nobody.pw_gid)
        if not nobody_runs(bin_dir / "initdb", "-D", data, *INITDB_OPTIONS):
            return None
        # The default apps' template database: the cluster runs as nobody, on a socket only,
        # while this process migrates into it.
        options = f"-c listen_addresses='' -k {build} -c fsync=off"
        if not nobody_runs(bin_dir / "pg_ctl", "-D", data, "-l", build / "log", "-w", "-o",
                           options, "start"):  # fmt: skip
            return None
        try:
            engine.make_postgres_template(bin_dir, build)
        except (OSError, subprocess.SubprocessError):
            return None
        finally:
            nobody_runs(bin_dir / "pg_ctl", "-D", data, "-m", "fast", "stop")
        for path in [build, *build.rglob("*")]:
            os.chown(path, 0, 0)  # nobody, who made it, may not change it later
            path.chmod(0o755 if path.is_dir() else 0o644)
        with contextlib.suppress(OSError):  # another run made it meanwhile: theirs serves
            (build / "data").rename(template)
        return template if (template / "PG_VERSION").exists() else None
    finally:
        shutil.rmtree(build, ignore_errors=True)


@functools.cache
def _sqlite_template() -> Path | None:
    """A folder holding the engine's SQLite template, made here (as root: Django's own apps,
    no content code) once per machine and name; None when making it fails (runs then migrate
    as before). Root's, readable by every uid, read-only in runs."""
    from codedrill.lab import engine

    template = STATE_DIR / engine.sqlite_template_name()
    if (template / engine.SQLITE_FILE).exists():
        return template
    STATE_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix="sqlite-build-", dir=STATE_DIR))
    try:
        engine.make_sqlite_template(build)
        build.chmod(0o755)
        (build / engine.SQLITE_FILE).chmod(0o644)
        with contextlib.suppress(OSError):  # another run made it meanwhile: theirs serves
            build.rename(template)
        return template if (template / engine.SQLITE_FILE).exists() else None
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        shutil.rmtree(build, ignore_errors=True)


@functools.cache
def _compile_codedrill() -> None:
    """Compile codedrill's modules beside their sources, once per process: runs import them
    from a read-only tree, with PYTHONDONTWRITEBYTECODE set, so each run would otherwise
    compile them afresh (about 0.04 s of CPU). Python checks a compiled file against its
    source's time and size, and ignores one the source has changed since."""
    import compileall

    import codedrill

    with contextlib.suppress(OSError):  # a tree this process may not write: runs compile
        compileall.compile_dir(Path(codedrill.__file__).parent, quiet=2)


def _runtime_paths() -> list[Path]:
    """What Python code needs to run here, besides /usr: the interpreter's prefix, the venv,
    and codedrill's package where it is installed in place (an editable install)."""
    import codedrill

    paths = []
    for path in (Path(sys.base_prefix), Path(sys.prefix), Path(codedrill.__file__).parent):
        path = path.resolve()
        if path == Path("/usr") or any(path.is_relative_to(p) for p in paths):
            continue
        paths = [p for p in paths if not p.is_relative_to(path)] + [path]
    return paths


def _memfd(name: str, data: bytes) -> int:
    fd = os.memfd_create(name)
    with os.fdopen(os.dup(fd), "wb") as stream:
        stream.write(data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


_ETC = {
    "passwd": "root:x:0:0::/:/usr/sbin/nologin\nsandbox:x:{uid}:{uid}::/work:/bin/sh\n",
    "group": "root:x:0:\nsandbox:x:{uid}:\n",
    "hosts": "127.0.0.1 localhost\n::1 localhost\n",
}


def _bwrap_command(uid: int, fds: dict[str, int], limits: Limits, extra: list[Path]) -> list[str]:
    """The command that runs a program in the full sandbox. Runtime paths (and `extra` paths,
    read-only) are bound in from a private mount namespace of root's, since the sandbox's uid
    may not traverse their parents (a pyenv Python under /root, say)."""
    runtime = _runtime_paths() + extra
    stage = STATE_DIR / "stage"
    for index in range(len(runtime)):
        (stage / str(index)).mkdir(parents=True, exist_ok=True)
    box = ["bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
           "--new-session", "--hostname", "sandbox", "--ro-bind", "/usr", "/usr"]  # fmt: skip
    for top in ("bin", "lib", "lib32", "lib64", "libx32", "sbin"):
        host = Path("/") / top
        if host.is_symlink():
            box += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            box += ["--ro-bind", str(host), str(host)]
    for name in ("ld.so.cache", "localtime"):
        if (Path("/etc") / name).exists():
            box += ["--ro-bind", str(Path("/etc", name).resolve()), f"/etc/{name}"]
    for name in _ETC:
        box += ["--ro-bind-data", str(fds[f"etc/{name}"]), f"/etc/{name}"]
    # A small /tmp of its own, mounted before the runtime binds: a runtime may live under the
    # host's /tmp (a CI checkout, say), and its binds then sit inside this one.
    box += ["--size", str(SHM_BYTES), "--tmpfs", "/tmp"]
    for index, path in enumerate(runtime):
        box += ["--ro-bind", str(stage / str(index)), str(path)]
    box += ["--proc", "/proc", "--dev", "/dev", "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm",
            "--size", str(limits.disk_bytes), "--tmpfs", WORK]  # fmt: skip
    for name, fd in fds.items():
        if name.startswith("files/"):
            relative = name.removeprefix("files/")
            for parent in reversed(Path(relative).parents[:-1]):
                box += ["--dir", f"{WORK}/{parent}"]
            box += ["--file", str(fd), f"{WORK}/{relative}"]
    box += ["--remount-ro", "/dev", "--remount-ro", "/", "--seccomp", str(fds["seccomp"]),
            "--info-fd", str(fds["info"]), "--chdir", WORK, "--"]  # fmt: skip
    # Root binds each runtime path onto its staging point in a mount namespace of its own, then
    # becomes the run's uid for good (no capabilities, no_new_privs) and starts bwrap.
    stager = (
        'stage=$1; n=$2; shift 2; i=0; while [ "$i" -lt "$n" ]; do'
        ' mount --bind "$1" "$stage/$i" || exit 125; shift; i=$((i + 1)); done; exec "$@"'
    )
    command = ["unshare", "--mount", "--propagation", "private", "sh", "-c", stager, "sh",
               str(stage), str(len(runtime)), *map(str, runtime),
               "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
               "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", *box]  # fmt: skip
    return command


def _kernel_limits(limits: Limits) -> None:
    """Runs in the child before exec; every process of the run inherits these backstops."""
    if limits.cpus:
        with contextlib.suppress(OSError):  # a core outside this machine's set: not pinned
            os.sched_setaffinity(0, limits.cpus)
    cpu = max(1, int(limits.wall_seconds * 3 / 4))  # a busy loop ends as "cpu-limit"
    for limit, value in (
        (resource.RLIMIT_CPU, (cpu, cpu + 5)),
        (resource.RLIMIT_AS, (limits.address_bytes or limits.memory_bytes,) * 2),
        (resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes)),
        (resource.RLIMIT_NOFILE, (1024, 1024)),
        (resource.RLIMIT_CORE, (0, 0)),
        # Tasks of the run's uid, threads included: binds once setpriv has left root.
        (resource.RLIMIT_NPROC, (limits.processes * 8, limits.processes * 8)),
    ):
        resource.setrlimit(limit, value)


@functools.cache
def unavailable_reason() -> str:
    """Why the full sandbox cannot run here, or "" when it can (probed once per process)."""
    if sys.platform != "linux":
        return "the sandbox needs Linux (namespaces and bubblewrap)"
    if not seccomp.supported():
        return f"no syscall filter for this CPU ({platform.machine()}; x86_64 and aarch64 have one)"
    missing = [tool for tool in ("bwrap", "unshare", "setpriv", "mount") if not shutil.which(tool)]
    if missing:
        return f"missing {', '.join(missing)}: install bubblewrap and util-linux"
    if os.geteuid() != 0:
        return "the sandbox needs root, to give each run a uid of its own"
    for _attempt in range(3):  # a busy machine can fail one probe; a broken sandbox fails all
        try:
            outcome = _run_full(
                {}, [sys.executable, "-c", "import django"], {}, Limits(20), (b"", None, None)
            )
        except (OSError, SandboxUnavailable) as exc:
            return str(exc)
        if outcome.status == "no-observation":  # the probe ran, and observed nothing: as meant
            return ""
    return f"bubblewrap could not start Python ({outcome.status}): {outcome.output.strip()[-300:]}"


def available() -> bool:
    return not unavailable_reason()


def run(
    files: dict[str, str | bytes],
    argv: list[str],
    env: dict[str, str] | None = None,
    limits: Limits = Limits(),  # noqa: B008 - frozen
    stdin: bytes = b"",
    weak: bool = False,
    on_output: Callable[[str], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Outcome:
    """Run `argv` in a fresh folder holding `files` ({relative path: content}). The program may
    write what it observed to the file named by $CODEDRILL_OBSERVATION; `on_output` hears its
    stdout and stderr as they come (from another thread), `on_start` the inode of its PID
    namespace once it runs (full sandbox). `weak=True` allows the weak fallback where the full
    sandbox is unavailable; otherwise that raises SandboxUnavailable."""
    io = (stdin, on_output, on_start)
    if reason := unavailable_reason():
        if not weak:
            raise SandboxUnavailable(reason)
        return _run_weak(files, argv, env or {}, limits, io)
    return _run_full(files, argv, env or {}, limits, io)


def run_python(
    files: dict[str, str],
    script: str,
    env: dict[str, str] | None = None,
    timeout: float = Limits.wall_seconds,
    weak: bool = False,
) -> Outcome:
    """Run `script`, one of `files`, with this venv's Python."""
    limits = Limits(wall_seconds=timeout)
    return run(files, [sys.executable, script], env, limits, weak=weak)


def _environment(env: dict[str, str], observation_fd: int, home: str) -> dict[str, str]:
    # Built from nothing: the host's variables (SECRET_KEY, DATABASE_URL, ...) never get in.
    import codedrill

    base = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        # The run imports the very codedrill that started it, wherever that was imported from.
        "PYTHONPATH": str(Path(codedrill.__file__).resolve().parent.parent),
        "HOME": home,
        "TMPDIR": home,
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return {**base, **env, OBSERVATION_ENV: f"/dev/fd/{observation_fd}"}


def _run_full(files, argv, env, limits: Limits, io) -> Outcome:
    fds: dict[str, int] = {}
    try:
        with _leased_uid(wait=limits.wall_seconds) as uid:
            for name, text in _ETC.items():
                fds[f"etc/{name}"] = _memfd(name, text.format(uid=uid).encode())
            for name, content in files.items():
                data = content.encode() if isinstance(content, str) else content
                fds[f"files/{name}"] = _memfd(Path(name).name, data)
            fds["seccomp"] = _memfd("seccomp", seccomp.program())
            info_read, fds["info"] = os.pipe()
            extra, env = [], dict(env)
            for variable, template in (
                (POSTGRES_TEMPLATE_ENV, _postgres_template()),
                (SQLITE_TEMPLATE_ENV, _sqlite_template()),
            ):
                if template:
                    extra.append(template)
                    env[variable] = str(template)
            _compile_codedrill()
            command = _bwrap_command(uid, fds, limits, extra)
            return _supervise([*command, *argv], env, limits, io, FULL, info_read, fds, uid)
    finally:
        for fd in fds.values():  # only those _supervise did not get to close
            os.close(fd)


def _run_weak(files, argv, env, limits: Limits, io) -> Outcome:
    folder = Path(tempfile.mkdtemp(prefix="codedrill-run-"))
    try:
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode() if isinstance(content, str) else content
            path.write_bytes(data)
        return _supervise(argv, env, limits, io, WEAK, None, {}, cwd=folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def since_boot() -> float:
    """Now, on the clock /proc gives process start times by."""
    return time.clock_gettime(time.CLOCK_BOOTTIME)


def processes_in(
    namespace: int | None = None,
    session: int | None = None,
    zombies: bool = False,
    started_before: float | None = None,
) -> list[int]:
    """The processes in one PID namespace (by its inode), or else in one session: a run's own,
    never the machine's by name. Zombies (ended, not yet reaped) only when asked for. Once a
    namespace or session is gone its number may name another run's, so `started_before` (see
    `since_boot`) keeps only processes that started before then."""
    found, tick = [], os.sysconf("SC_CLK_TCK")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            if namespace is not None:
                if os.stat(f"/proc/{pid}/ns/pid").st_ino != namespace:
                    continue
            elif os.getsid(pid) != session:
                continue
            with open(f"/proc/{pid}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if started_before is not None and int(fields[19]) / tick > started_before:
            continue
        if zombies or fields[0] != b"Z":
            found.append(pid)
    return found


def _usage(pids: list[int]) -> tuple[int, float]:
    """(resident bytes, CPU seconds including reaped children) of these processes."""
    page, tick = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")
    rss = cpu = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        cpu += sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
        rss += int(fields[21]) * page
    return rss, cpu / tick


def _supervise(command, env, limits, io, sandbox, info_read, pass_fds, uid=None, cwd=None):
    home = WORK if sandbox == FULL else str(cwd)
    stdin, on_output, on_start = io
    _become_subreaper()
    observation_read, observation_write = os.pipe()
    if uid is not None:  # the run reopens it as /dev/fd/N, which checks the pipe's owner
        os.fchown(observation_write, uid, uid)
    stdin_fd = _memfd("stdin", stdin)
    started = time.monotonic()
    try:
        process = subprocess.Popen(  # noqa: S603 - fixed argv; the program is what we contain
            command, cwd=cwd or "/", env=_environment(env, observation_write, home),
            stdin=stdin_fd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True, pass_fds=(*pass_fds.values(), observation_write),
            preexec_fn=functools.partial(_kernel_limits, limits),
        )  # fmt: skip
    finally:
        # The child holds its copies; ours would keep its pipes open. Closed exactly once: in
        # a threaded checker a number closed twice may already be another run's.
        for fd in (*pass_fds.values(), observation_write, stdin_fd):
            os.close(fd)
        pass_fds.clear()

    observed = bytearray()
    tail: deque[str] = deque()
    kept = total = 0
    reason = ""
    namespace: int | None = None
    # cpu_seconds is the most seen (a process ended but not yet reaped drops out of the sum for
    # a moment); busiest_cores, the most cores it kept busy over any BUSY_WINDOW.
    peak = {"memory_bytes": 0, "processes": 0, "cpu_seconds": 0.0, "busiest_cores": 0.0}
    window: deque[tuple[float, float]] = deque()  # (when, cpu_seconds) over the last window

    def kill(why: str) -> None:
        nonlocal reason
        reason = reason or why
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def collect() -> None:
        with os.fdopen(observation_read, "rb") as pipe:
            for chunk in iter(lambda: pipe.read1(65536), b""):
                if len(observed) + len(chunk) > limits.output_bytes:
                    kill("output-flood")
                    return
                observed.extend(chunk)

    def drain() -> None:
        nonlocal kept, total
        for chunk in iter(lambda: process.stdout.read1(65536), b""):
            total += len(chunk)
            tail.append(chunk.decode("utf-8", "replace"))
            kept += len(tail[-1])
            if on_output:
                on_output(tail[-1])
            while kept > OUTPUT_KEPT * 2 and len(tail) > 1:
                kept -= len(tail.popleft())
            if total > limits.output_bytes:
                kill("output-flood")

    readers = [threading.Thread(target=f, daemon=True) for f in (drain, collect)]
    for reader in readers:
        reader.start()
    pin = None
    if info_read is not None:
        namespace, pin = _namespace_of(info_read)
        if on_start and namespace is not None:
            on_start(namespace)
    try:
        while process.poll() is None:
            if time.monotonic() - started > limits.wall_seconds:
                kill("timeout")
            elif namespace is not None or sandbox == WEAK:
                pids = processes_in(namespace, process.pid)
                rss, cpu = _usage(pids)
                peak |= {"memory_bytes": max(peak["memory_bytes"], rss),
                         "processes": max(peak["processes"], len(pids)),
                         "cpu_seconds": round(max(peak["cpu_seconds"], cpu), 2)}  # fmt: skip
                now = time.monotonic()
                window.append((now, peak["cpu_seconds"]))
                while len(window) > 1 and now - window[1][0] >= BUSY_WINDOW:
                    window.popleft()  # keeps the newest sample at least a window old
                if now - window[0][0] >= BUSY_WINDOW / 2:
                    busy = (peak["cpu_seconds"] - window[0][1]) / (now - window[0][0])
                    peak["busiest_cores"] = round(max(peak["busiest_cores"], busy), 2)
                if len(pids) > limits.processes:
                    kill("too-many-processes")
                elif rss > limits.memory_bytes:
                    kill("memory-limit")
                elif cpu > limits.cpu_total:
                    kill("cpu-limit")
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(POLL_SECONDS)
        # The namespace dies with its first process; in the weak sandbox, end the session's rest.
        _reap(namespace, process.pid, sandbox)
    finally:
        if pin is not None:
            os.close(pin)  # from here on its inode may be another run's
    for reader in readers:
        reader.join(5)
    output = "".join(tail)[-OUTPUT_KEPT:]
    text = observed.decode("utf-8", "replace")
    status = reason or _classify(process.returncode, output, text)
    seconds = time.monotonic() - started
    return Outcome(
        status, text, output, seconds, sandbox, peak, namespace, process.pid, since_boot()
    )


def _namespace_of(info_read: int) -> tuple[int | None, int | None]:
    """The inode of the run's PID namespace, from bwrap's --info-fd report, and a descriptor
    that holds the namespace. The kernel gives a new namespace the lowest free inode: once the
    run's init is reaped, the next run's namespace would get the same one, and the watchdog
    and the reaper, which find a run's processes by that inode, would count and kill the next
    run's. An open descriptor keeps the namespace, and so its inode, until the run is reaped."""
    with os.fdopen(info_read, "rb") as info:
        text = info.read()  # bwrap closes it once the sandbox's first process is running
    try:
        child = json.loads(text)["child-pid"]
        pin = os.open(f"/proc/{child}/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
    except (ValueError, KeyError, OSError):
        return None, None  # it ended before we looked (or never started): nothing to watch
    return os.fstat(pin).st_ino, pin


@functools.cache
def _become_subreaper() -> None:
    """bwrap's outer process exits as soon as it hears the run's exit status, before the
    sandbox's init has been reaped; as a subreaper this process inherits that init and reaps
    it in `_reap`. Otherwise a zombie of the run's uid would stay, counted against the tasks
    that uid may have, wherever the machine's init does not reap (some containers)."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _reap(namespace: int | None, session: int, sandbox: str) -> None:
    """Kill what is left of the run and reap whichever of its zombies came to this process
    (a zombie that is not ours is its parent's to reap)."""
    watched = namespace is not None or sandbox == WEAK
    # Killed processes take a while to exit on a busy machine (a fork bomb's thousands
    # especially); the uid is not leased again until they are gone.
    deadline = time.monotonic() + 30
    others: set[int] = set()
    while watched and time.monotonic() < deadline:
        pids = set(processes_in(namespace, session, zombies=True)) - others
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                if pid not in processes_in(namespace, session):  # a zombie, not ours
                    others.add(pid)
        time.sleep(0.01)


def leftovers(outcome: Outcome) -> list[int]:
    """Processes of a finished run still alive, found by its own namespace or session: none,
    unless the sandbox failed."""
    if outcome.sandbox == FULL and outcome.namespace is None:
        return []  # it ended before its namespace could be seen, and took it along
    return processes_in(outcome.namespace, outcome.session, started_before=outcome.ended)


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
