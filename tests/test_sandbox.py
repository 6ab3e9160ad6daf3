"""Hostile proofs: whatever a proof does, the checker finishes, names it, and leaves nothing."""

import http.server
import json
import os
import textwrap
import threading
import time

import pytest
from conftest import strays

from codedrill.content.check import check
from codedrill.content.sandbox import FAILURES, namespaces_available, run_python
from codedrill.lab.engine import free_port

pytestmark = pytest.mark.content

HOSTILE = {
    "endless-loop": ("while True:\n    pass\n", "cpu-limit"),
    "sleeps-forever": ("import time\ntime.sleep(10_000)\n", "timeout"),
    "fork-bomb": (
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
        "too-many-processes",
    ),
    "memory-hog": (
        # bytes(n) takes fresh zeroed pages without touching them, so the hog reaches the
        # memory limit in milliseconds rather than spending its CPU allowance filling pages.
        "hoard = []\nwhile True:\n    hoard.append(bytes(256 * 1024 * 1024))\n",
        "memory-limit",
    ),
    "disk-filler": (
        "n = 0\nwhile True:\n    with open(f'f{n}', 'wb') as f:\n        f.write(b'x' * 2**25)\n"
        "    n += 1\n",
        "disk-full",
    ),
    "one-huge-file": (
        "with open('big', 'wb') as f:\n    f.write(b'x' * 2**27)\n",
        "file-too-large",
    ),
    "output-flood": ("while True:\n    print('x' * 1000)\n", "output-flood"),
    "crashes": ("raise ValueError('the proof itself is broken')\n", "crashed"),
    "observes-nothing": ("print('forgot to call observe')\n", "no-observation"),
}
needs_namespaces = pytest.mark.skipif(
    not namespaces_available(), reason="needs Linux namespaces (root and unshare)"
)


@pytest.mark.parametrize("name", HOSTILE)
def test_each_hostile_proof_is_stopped_and_named(name):
    code, expected = HOSTILE[name]
    assert expected in FAILURES  # the names the checker documents
    if expected in ("too-many-processes", "disk-full") and not namespaces_available():
        pytest.skip("bounded by the PID and mount namespaces")
    started = time.monotonic()
    outcome = run_python({"proof.py": code}, "proof.py", {}, timeout=6)
    assert outcome.status == expected, outcome.output[-500:]
    assert time.monotonic() - started < 6 + 5
    assert strays() == []  # nothing it started is left running


def test_a_good_proof_reports_its_observation():
    code = "from codedrill.content.proofs import observe\nobserve(answer=42, ok=True)\n"
    outcome = run_python({"proof.py": code}, "proof.py", {}, timeout=20)
    assert outcome.status == "ok"
    assert json.loads(outcome.observation) == {"answer": 42, "ok": True}


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the stdlib's name
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"reached")

    def log_message(self, *args):
        pass


@needs_namespaces
def test_a_proof_cannot_reach_a_server_on_the_hosts_loopback():
    port = free_port()
    server = http.server.HTTPServer(("127.0.0.1", port), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        code = textwrap.dedent(f"""
            import socket
            from codedrill.content.proofs import observe
            try:
                with socket.create_connection(("127.0.0.1", {port}), timeout=3) as s:
                    s.sendall(b"GET /from-the-proof HTTP/1.0\\r\\n\\r\\n")
                    observe(reached=True, reply=s.recv(100).decode())
            except OSError as exc:
                observe(reached=False, error=type(exc).__name__)
        """)
        outcome = run_python({"proof.py": code}, "proof.py", {}, timeout=20)
    finally:
        server.shutdown()
        server.server_close()
    assert outcome.status == "ok", outcome.output
    assert json.loads(outcome.observation) == {"reached": False, "error": "ConnectionRefusedError"}
    assert _Recorder.hits == []


def test_the_checker_finishes_a_folder_of_hostile_proofs_and_names_each(example_copy):
    questions = sorted((example_copy / "examples/awaiting-basics/questions").glob("*/proof.py"))
    chosen = {}
    for path, (code, expected) in zip(questions, HOSTILE.values(), strict=False):
        path.write_text(code)
        chosen[path.parent.name] = expected
    started = time.monotonic()
    report = check(example_copy, timeout=6)
    elapsed = time.monotonic() - started
    reasons = {item["item"]: item["reason"] for item in report["patterns"][0]["unproven"]}
    for slug, expected in chosen.items():
        if expected in ("too-many-processes", "disk-full") and not namespaces_available():
            continue
        assert reasons[slug].split(" ")[0] == expected, (slug, reasons.get(slug))
    assert not report["ok"]
    # Each proof is bounded by its timeout; they run at most one per core, in parallel.
    assert elapsed < len(questions) * 11
    assert strays() == []


def test_ci_runs_the_whole_sandbox():
    """Outside CI the namespace tests may skip; in CI they must run."""
    if not os.environ.get("CI"):
        pytest.skip("only enforced in CI")
    assert namespaces_available(), "CI needs root, unshare (util-linux) and ip (iproute2)"


@needs_namespaces
def test_a_proof_can_write_only_in_its_own_folder(tmp_path):
    target = tmp_path / "written-by-a-proof.txt"
    code = textwrap.dedent(f"""
        from pathlib import Path
        from codedrill.content.proofs import observe
        outcomes = {{}}
        for name, path in (("host", {str(target)!r}), ("own", "mine.txt")):
            try:
                Path(path).write_text("x")
                outcomes[name] = "written"
            except OSError as exc:
                outcomes[name] = exc.strerror
        observe(**outcomes)
    """)
    outcome = run_python({"proof.py": code}, "proof.py", {}, timeout=20)
    assert json.loads(outcome.observation) == {"host": "Read-only file system", "own": "written"}
    assert not target.exists()
