"""Programs written to escape the sandbox, and the host-side canaries that tell whether they did.

`codedrill sandbox-check` runs them all and prints a table; the test suite runs each as a test.
Each probe is judged from outside: a file it must not create, a file it must not change, a
secret it must not read, a loopback server and an abstract unix socket it must not reach, a
status it must end with, and no process of the run left alive.
"""

import contextlib
import http.server
import json
import os
import platform
import secrets
import shutil
import socket
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from codedrill.sandbox import GiB, Limits, Outcome, leftovers, run, seccomp

# The budget the probes run under: tight, so that the suite is quick.
LIMITS = Limits(
    wall_seconds=6, memory_bytes=1 * GiB, file_bytes=32 * 1024**2, disk_bytes=64 * 1024**2
)

_PRELUDE = """\
import ctypes, json, os, socket, subprocess, sys, time
libc = ctypes.CDLL(None, use_errno=True)
HOST = json.loads({host!r})
def report(**facts):
    with open(os.environ["CODEDRILL_OBSERVATION"], "w") as out:
        out.write(json.dumps(facts))
def quietly(argv):
    try:
        return subprocess.run(argv, capture_output=True, timeout=5).returncode
    except (OSError, subprocess.SubprocessError) as exc:
        return type(exc).__name__
def reach(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(b"GET /escaped HTTP/1.0\\r\\n\\r\\n")
            return "reached"
    except OSError as exc:
        return type(exc).__name__
def read(path):
    try:
        with open(path, "rb") as f:
            return f.read(4096).decode("utf-8", "replace")
    except OSError as exc:
        return type(exc).__name__
def write(path):
    try:
        with open(path, "w") as f:
            f.write("escaped")
        return "written"
    except OSError as exc:
        return exc.strerror
"""


@dataclass(frozen=True)
class Probe:
    name: str
    tries: str  # what it attempts, for the table
    code: str  # after the prelude; HOST holds the canaries' paths, port, pid and syscalls
    expect: str = "ok"  # the status the run must end with
    limits: Limits | None = None  # other than LIMITS


PROBES = [
    Probe(
        "remount-root-rw",
        "remount / and /usr read-write, then write there and to a host path",
        """report(mount=[quietly(["mount", "-o", "remount,bind,rw", "/"]),
                     quietly(["mount", "-o", "remount,rw", "/usr"])],
              wrote=[write(HOST["target"]), write(HOST["usr_target"])])""",
    ),
    Probe(
        "umount-proc-then-ancestors",
        "unmount /proc, then read and enter ancestors' roots and network namespaces",
        """quietly(["umount", "-l", "/proc"])
found = []
for pid in (os.listdir("/proc") if os.path.isdir("/proc") else []):
    if pid.isdigit():
        found.append(read(f"/proc/{pid}/root{HOST['secret']}"))
        found.append(write(f"/proc/{pid}/root{HOST['target']}"))
        found.append(quietly(["nsenter", f"--net=/proc/{pid}/ns/net", "--", sys.executable,
                              "-c", f"import socket; socket.create_connection(('127.0.0.1', "
                                    f"{HOST['port']}), 2)"]))
report(found=found, host_pid_visible=os.path.exists(f"/proc/{HOST['pid']}/root/etc"))""",
    ),
    Probe(
        "read-secrets",
        "read the site's secret key, a root-only file and other users' home folders",
        """report(secret=read(HOST["secret"]), key=read(HOST["secret_key"]),
              root=str(os.listdir("/root")) if os.path.isdir("/root") else "absent",
              shadow=read("/etc/shadow"))""",
    ),
    Probe(
        "environment-of-others",
        "read /proc/1/environ and every other environment it can find",
        """found = [read(f"/proc/{p}/environ") for p in os.listdir("/proc") if p.isdigit()]
report(found=found, mine=dict(os.environ))""",
    ),
    Probe(
        "ptrace-host-process",
        "attach to a host process with ptrace, and read its memory",
        """attach = libc.ptrace(16, HOST["pid"], 0, 0)  # PTRACE_ATTACH
err = ctypes.get_errno()
report(attach=attach, errno=err, maps=read(f"/proc/{HOST['pid']}/maps")[:50])""",
    ),
    Probe(
        "setns-through-proc",
        "enter every namespace it can open under /proc, then reach the host's loopback",
        """entered = []
for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    for kind in ("net", "mnt", "pid", "user", "uts", "ipc"):
        try:
            fd = os.open(f"/proc/{pid}/ns/{kind}", os.O_RDONLY)
        except OSError:
            continue
        if libc.setns(fd, 0) == 0:
            entered.append(f"{pid}/{kind}")
        os.close(fd)
report(entered=entered, host=reach(HOST["port"]))""",
    ),
    Probe(
        "unshare-again",
        "make new user and mount namespaces to regain capabilities",
        """user = libc.unshare(0x10000000)  # CLONE_NEWUSER
mount = libc.unshare(0x00020000)  # CLONE_NEWNS
report(user=user, mount=mount, tool=quietly(["unshare", "-r", "-m", "true"]))""",
    ),
    Probe(
        "host-loopback",
        "connect to a server on the host's loopback, and list network interfaces",
        """report(host=reach(HOST["port"]), interfaces=[n for _, n in socket.if_nameindex()])""",
    ),
    Probe(
        "abstract-unix-socket",
        "connect to the host's abstract unix socket",
        """s = socket.socket(socket.AF_UNIX)
try:
    s.connect("\\0" + HOST["abstract"])
    s.sendall(b"escaped")
    report(result="connected")
except OSError as exc:
    report(result=type(exc).__name__)""",
    ),
    Probe(
        "dev-shm-and-symlinks",
        "write to /dev/shm, and write through symlinks pointing out of its folder",
        """os.symlink(HOST["victim"], "victim-link")
os.symlink(HOST["folder"], "folder-link")
big = "full"
try:
    with open("/dev/shm/fill", "wb") as f:
        f.write(b"x" * 64 * 2**20)
    big = "no limit"
except OSError as exc:
    big = exc.strerror
report(shm=write("/dev/shm/" + HOST["shm_name"]), big=big,
       link=write("victim-link"), folder=write("folder-link/escaped"))""",
    ),
    Probe(
        "keyring-and-bpf",
        "store a key in the kernel keyring and create a BPF map",
        """key = libc.syscall(HOST["add_key"], b"user", b"codedrill", b"secret", 6, -4)
bpf = libc.syscall(HOST["bpf"], 0, ctypes.create_string_buffer(64), 64)
report(add_key=key, bpf=bpf)""",
    ),
    Probe(
        "memory-across-processes",
        "hold more than the run's memory in several processes at once",
        """children = []
for _ in range(5):
    pid = os.fork()
    if pid == 0:
        hoard = b"x" * (400 * 2**20)  # written, so resident
        time.sleep(60)
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
report(survived=True)""",
        expect="memory-limit",
        # Writing 1.2 GB across three processes took over 6 s at a load average of 30: a wall
        # time this probe cannot reach first, since its children sleep for 60 s.
        limits=replace(LIMITS, wall_seconds=30),
    ),
    Probe(
        "fork-bomb",
        "fork without end",
        """while True:
    try:
        os.fork()
    except OSError:
        pass""",
        expect="too-many-processes",
    ),
    Probe(
        "double-forked-daemon",
        "leave a daemon running after it reports",
        """if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(600)
    os._exit(0)
report(left="a daemon")""",
    ),
    Probe(
        "closes-its-pipes",
        "close stdout, stderr and stdin, then sleep on",
        """for fd in (0, 1, 2):
    os.close(fd)
time.sleep(600)""",
        expect="timeout",
    ),
    Probe(
        "never-reads-stdin",
        "ignore the 8 MB it is given on stdin",
        """time.sleep(0.2)
report(read=0)""",
    ),
    Probe(
        "endless-loop",
        "spin the CPU",
        "while True:\n    pass",
        expect="cpu-limit",
        # A CPU budget well under the wall time, so a busy machine cannot turn it into a timeout.
        limits=Limits(wall_seconds=15, cpu_seconds=1),
    ),
    Probe(
        "one-huge-file",
        "write one file larger than allowed",
        """with open("big", "wb") as f:
    f.write(b"x" * 2**27)""",
        expect="file-too-large",
    ),
    Probe(
        "disk-filler",
        "fill its folder",
        """n = 0
while True:
    with open(f"f{n}", "wb") as f:
        f.write(b"x" * 2**24)
    n += 1""",
        expect="disk-full",
    ),
    Probe(
        "output-flood", "print without end", "while True:\n    print('x' * 1000)", "output-flood"
    ),
]


class _Recorder(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the stdlib's name
        self.server.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@dataclass
class Canaries:
    """What the host has that a contained run cannot touch."""

    folder: Path
    token: str
    port: int
    abstract: str
    hits: list = field(default_factory=list)  # requests that reached the loopback server
    accepted: list = field(default_factory=list)  # connections to the abstract socket

    @property
    def secret(self) -> Path:
        return self.folder / "secret"

    @property
    def victim(self) -> Path:
        return self.folder / "victim"

    @property
    def target(self) -> Path:
        return self.folder / "escaped"

    def host_facts(self, secret_key: Path) -> dict:
        return {
            "folder": str(self.folder),
            "secret": str(self.secret),
            "victim": str(self.victim),
            "target": str(self.target),
            "usr_target": f"/usr/codedrill-escaped-{self.token}",
            "shm_name": f"codedrill-escaped-{self.token}",
            "secret_key": str(secret_key),
            "port": self.port,
            "abstract": self.abstract,
            "pid": os.getpid(),
            **{
                name: seccomp.DENIED[name][seccomp.ARCHES.get(platform.machine(), (0, 0))[1]]
                for name in ("add_key", "bpf")
            },  # fmt: skip
        }


@contextlib.contextmanager
def canaries() -> Iterator[Canaries]:
    """Set the canaries up on the host (a root-only folder, a loopback server, an abstract
    socket, a secret in this process's environment), and take them all down afterwards."""
    token = secrets.token_hex(8)
    folder = Path(tempfile.mkdtemp(prefix="codedrill-canary-"))
    (folder / "secret").write_text(token)
    (folder / "victim").write_text("untouched")
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(f"\0codedrill-canary-{token}")
    listener.listen()
    found = Canaries(folder, token, server.server_address[1], f"codedrill-canary-{token}")
    server.hits = found.hits

    def accept():
        with contextlib.suppress(OSError):
            while True:
                found.accepted.append(listener.accept()[0])

    threads = [threading.Thread(target=server.serve_forever, daemon=True),
               threading.Thread(target=accept, daemon=True)]  # fmt: skip
    for thread in threads:
        thread.start()
    saved = {name: os.environ.get(name) for name in ("SECRET_KEY", "CODEDRILL_CANARY")}
    os.environ.update(SECRET_KEY=token, CODEDRILL_CANARY=token)
    try:
        yield found
    finally:
        for name, value in saved.items():
            os.environ.pop(name) if value is None else os.environ.update({name: value})
        server.shutdown()
        server.server_close()
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        shutil.rmtree(folder, ignore_errors=True)


def escapes(probe: Probe, outcome: Outcome, found: Canaries) -> list[str]:
    """What got out of the box in this run: empty when the probe was contained."""
    problems = []
    if outcome.status != probe.expect:
        problems.append(f"ended {outcome.status!r}, not {probe.expect!r}")
    seen = outcome.observation + outcome.output
    if found.token in seen:
        problems.append("read a host secret")
    if found.target.exists() or Path(f"/usr/codedrill-escaped-{found.token}").exists():
        problems.append("wrote a host file")
    if Path(f"/dev/shm/codedrill-escaped-{found.token}").exists():
        problems.append("wrote the host's /dev/shm")
    if found.victim.read_text() != "untouched":
        problems.append("changed a host file")
    if found.hits:
        problems.append(f"reached the host's loopback: {found.hits}")
    if found.accepted:
        problems.append("reached the host's abstract unix socket")
    if _tracer(os.getpid()) != 0:
        problems.append("traced a host process")
    if probe.name == "host-loopback" and '"interfaces": ["lo"]' not in outcome.observation:
        problems.append(f"saw other interfaces: {outcome.observation}")
    if left := leftovers(outcome):
        problems.append(f"left {len(left)} processes running")
    return problems


def _tracer(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("TracerPid:")[1].split()[0])


def run_probe(probe: Probe, found: Canaries, secret_key: Path) -> Outcome:
    host = json.dumps(found.host_facts(secret_key))
    code = _PRELUDE.format(host=host) + probe.code + "\n"
    stdin = b"x" * (8 * 2**20) if probe.name == "never-reads-stdin" else b""
    limits = probe.limits or LIMITS
    return run({"probe.py": code}, [sys.executable, "probe.py"], {}, limits, stdin)


def main() -> int:
    """`codedrill sandbox-check`: run every probe against this machine's sandbox and print a
    table; exit status 0 only when everything was contained. Never in the weak sandbox: there
    the probes would really do what they try (unmount the host's /proc, for one)."""
    from django.conf import settings

    from codedrill.sandbox import SandboxUnavailable, unavailable_reason

    if reason := unavailable_reason():
        print(f"The sandbox is not available here: {reason}.")
        print("Learners' code and lab runs are refused until it is (see the README, 'Sandbox').")
        return 1
    secret_key = settings.DATA_DIR / "secret_key"
    width = max(len(probe.name) for probe in PROBES)
    print(f"{'probe':{width}}  {'ended':18}  {'secs':>5}  result")
    failed = 0
    for probe in PROBES:
        with canaries() as found:
            try:
                outcome = run_probe(probe, found, secret_key)
            except SandboxUnavailable as exc:
                print(f"{probe.name:{width}}  refused: {exc}")
                return 1
            problems = escapes(probe, outcome, found)
        failed += bool(problems)
        result = "contained" if not problems else "ESCAPED: " + "; ".join(problems)
        print(f"{probe.name:{width}}  {outcome.status:18}  {outcome.seconds:5.1f}  {result}")
    print(f"sandbox: {outcome.sandbox}")
    print("all contained" if not failed else f"{failed} of {len(PROBES)} probes got out")
    return 1 if failed else 0
