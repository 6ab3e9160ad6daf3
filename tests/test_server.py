"""codedrill as `make run` serves it: a real granian process on SQLite."""

import contextlib
import json
import os
import re
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from conftest import CODEDRILL
from liveserver import serve, stop

SQLITE = {"DATABASE_URL": ""}  # these tests are about the embedded default


def progress_rows(data_dir) -> list:
    result = subprocess.run(
        [CODEDRILL, "shell", "-v0", "-c",
         "from codedrill.progress.models import ModeProgress as M; import json; "
         "print(json.dumps(list(M.objects.values_list('mode', 'percent'))))"],
        env={"CODEDRILL_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def finish_learn(base: str) -> int:
    """One new visitor reads Learn to the end: a guest, a session and a progress row."""
    with httpx.Client(base_url=base, timeout=30) as browser:
        page = browser.get("/patterns/async-django/learn/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = {"csrfmiddlewaretoken": token}
        return browser.post("/patterns/async-django/learn/done", data=data).status_code


@pytest.fixture
def server(tmp_path):
    with serve(tmp_path, **SQLITE) as (base, process):
        yield base, process, tmp_path


def test_it_serves_the_catalog_with_hashed_compressed_static_files(server):
    base, _process, _data = server
    html = httpx.get(base + "/").text
    css = re.search(r'href="(/static/codedrill/style\.[0-9a-f]+\.css)"', html).group(1)
    response = httpx.get(base + css, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]


def test_a_committed_write_survives_a_crash_of_the_server(server):
    base, process, data_dir = server
    assert finish_learn(base) == 302
    stop(process, signal.SIGKILL)  # no clean shutdown: the process dies at once
    assert progress_rows(data_dir) == [["learn", 100]]


def test_concurrent_writers_queue_instead_of_failing(server):
    base, _process, data_dir = server
    with ThreadPoolExecutor(max_workers=24) as pool:
        statuses = list(pool.map(lambda _: finish_learn(base), range(48)))
    assert statuses == [302] * 48
    assert len(progress_rows(data_dir)) == 48


def children(pid: int) -> set[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return {int(child) for child in f.read().split()}


def workers(process: subprocess.Popen) -> set[int]:
    """The web server's worker processes: the children of the granian process that
    `codedrill serve` started (its other children are lab workers), read from /proc."""
    for child in children(process.pid):
        with open(f"/proc/{child}/cmdline", "rb") as f:
            if b"granian" in f.read():
                return children(child)
    raise LookupError("codedrill serve has no granian child")


def test_a_killed_worker_is_replaced_and_the_site_stays_up(tmp_path):
    with serve(tmp_path, **SQLITE, WEB_WORKERS="2") as (base, process):
        before = workers(process)
        assert len(before) == 2
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            assert time.monotonic() < deadline, "no 200 from /healthz within 5 s"
            time.sleep(0.1)
        while len(workers(process) - {victim}) < 2:  # the replacement has started
            assert process.poll() is None and time.monotonic() < deadline + 10
            time.sleep(0.1)
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda _: httpx.get(f"{base}/healthz").status_code, range(64)))
        assert statuses == [200] * 64
        assert process.poll() is None
