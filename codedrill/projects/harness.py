"""A project's tests, run inside the sandbox (never imported by the web process).

The runner gets the learner's files and the tests as files; it reads the hidden tests and
deletes their file before any learner code runs, then makes itself non-dumpable, so the
learner's server (a process of the same uid) can read neither its memory nor its open
files. (Not through stdin: the sandbox's first process keeps that open, where the server
could read it; tests/test_project.py hunts for them.) Learner code runs only in those
servers: a test starts the site under a real server through the experiment engine
(`project.run`) and judges what came back.

A test is a function `test_<name>(project)` in a tests/*.py file; its assertion message is what
the learner reads when it fails. Runs with the same setup are shared between tests, and tests
run side by side, so a project with four setups costs about one server start and its slowest
requests.
"""

import ctypes
import io
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from codedrill import sandbox
from codedrill.lab.engine import DEFAULT_MIDDLEWARE, ExperimentError, Result, Server, Site, run
from codedrill.sandbox import OBSERVATION_ENV

PR_SET_DUMPABLE = 4
OUTPUT_PER_TEST = 4000  # characters of a test's captured output kept
TESTS_AT_ONCE = 4


class _PerThread(io.TextIOBase):
    """sys.stdout for tests running side by side: each thread's prints go to its own buffer."""

    def __init__(self, fallback):
        self.local = threading.local()
        self.fallback = fallback

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        buffer = getattr(self.local, "buffer", None)
        return (buffer if buffer is not None else self.fallback).write(text)


class Project:
    """What a test gets: the learner's files, and `run` to serve them."""

    def __init__(
        self, files: dict[str, str], site: str, models_file: str = "", seed: str = "",
        database: str = "",
    ):  # fmt: skip
        self.files = files
        self.site = site
        self.models_file = models_file  # the learner file that holds the models, if any
        self.seed = seed
        self.database = database  # "postgresql", "sqlite", or "": SQLite with models
        self._runs: dict[str, Result | Exception] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self.used = threading.local()

    def run(
        self,
        requests: list,
        server: str = "uvicorn",
        middleware: list[str] | tuple = (),
        threads: int = 1,
        tally: str | None = None,
    ) -> Result:
        """Serve the learner's site under `server` ("uvicorn" or "gunicorn", one worker, with
        `threads` threads for gunicorn) with `middleware` (dotted paths, e.g.
        "middleware.RequestTimer") before Django's default stack, send `requests` (a path, or
        (path, seconds after the first)) all at once, then `tally` (a path) once every one has
        been answered, and return the engine's Result. The same setup asked twice is served
        once."""
        key = json.dumps([requests, server, list(middleware), threads, tally])
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._runs:
                own = (self.site, self.models_file)
                modules = tuple((n, c) for n, c in self.files.items() if n not in own)
                site = Site(
                    self.files[self.site],
                    middleware=(*middleware, *DEFAULT_MIDDLEWARE),
                    modules=modules,
                    models=self.files.get(self.models_file, ""),
                    seed=self.seed,
                    database=self.database or False,
                )
                try:
                    self._runs[key] = run(
                        site, Server(server, threads=threads), list(requests), timeout=10,
                        tally=tally,
                    )  # fmt: skip
                except ExperimentError as exc:
                    self._runs[key] = exc
        found = self._runs[key]
        getattr(self.used, "runs", []).append(found)
        if isinstance(found, Exception):
            raise found
        return found


def _collect(sources: dict[str, str], hidden: bool) -> list[tuple[str, str, bool, object]]:
    """(file, test name, hidden, function) for every test_* function, in file order."""
    found = []
    for file, source in sorted(sources.items()):
        namespace: dict = {"__name__": f"project_tests_{Path(file).stem}"}
        exec(compile(source, f"{'hidden' if hidden else 'tests'}/{file}", "exec"), namespace)  # noqa: S102
        found += [
            (file, name, hidden, value)
            for name, value in namespace.items()
            if name.startswith("test_") and callable(value)
        ]
    return found


def _server_output(runs: list) -> str:
    lines = []
    for found in runs:
        if isinstance(found, Exception):
            lines.append(f"[the server could not run your code]\n{found}")
        elif found.stderr.strip():
            lines.append(f"[{found.server.describe()} printed]\n{found.stderr.strip()}")
    return "\n".join(lines)


def _one(project: Project, stdout: _PerThread, test) -> dict:
    file, name, hidden, function = test
    buffer = io.StringIO()
    stdout.local.buffer = buffer
    project.used.runs = []
    started = time.monotonic()
    try:
        function(project)
        passed, message = True, ""
    except AssertionError as exc:
        passed, message = False, str(exc) or "an assertion failed"
    except ExperimentError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "it did not start"
        passed, message = (
            False,
            f"The server could not run your code: {first}. Its output says why.",
        )
    except Exception as exc:  # noqa: BLE001 - a test that crashes fails, with what it raised
        passed, message = False, f"The test crashed: {type(exc).__name__}: {exc}"
    finally:
        stdout.local.buffer = None
    parts = (buffer.getvalue().strip(), _server_output(project.used.runs))
    output = "\n".join(part for part in parts if part)
    return {"file": file, "name": name, "hidden": hidden, "passed": passed,
            "message": message[:1000], "output": output[-OUTPUT_PER_TEST:],
            "seconds": round(time.monotonic() - started, 3)}  # fmt: skip


def main() -> None:
    """The sandbox's program: spec.json says the site and the files; hidden.json holds the
    hidden tests ({file: source}, empty for a run of the visible tests alone)."""
    hidden_sources = json.loads(Path("hidden.json").read_text(encoding="utf-8"))
    Path("hidden.json").unlink()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    spec = json.loads(Path("spec.json").read_text(encoding="utf-8"))
    files = {name: Path("src", name).read_text(encoding="utf-8") for name in spec["files"]}
    visible = {name: Path("tests", name).read_text(encoding="utf-8") for name in spec["tests"]}
    tests = _collect(visible, hidden=False) + _collect(hidden_sources, hidden=True)
    del hidden_sources
    project = Project(
        files, spec["site"], spec["models_file"], spec["seed"], spec.get("database", "")
    )
    stdout = _PerThread(sys.stdout)
    sys.stdout = stdout
    with ThreadPoolExecutor(TESTS_AT_ONCE) as pool:
        results = list(pool.map(lambda test: _one(project, stdout, test), tests))
    with open(os.environ[OBSERVATION_ENV], "w", encoding="utf-8") as out:
        json.dump({"tests": results}, out)


RUNNER = "from codedrill.projects.harness import main\nmain()\n"


def sandbox_input(project, files: dict[str, str], visible_only: bool) -> dict[str, str]:
    """The files for one run of `project`'s tests on the learner's `files`, on the host.
    `project` is
    a published Project or a ProjectSource: anything with site, visible_tests, hidden_tests."""
    spec = {"site": project.site, "models_file": project.models_file, "seed": project.seed,
            "database": project.database, "files": sorted(files),
            "tests": sorted(project.visible_tests)}  # fmt: skip
    found = {"spec.json": json.dumps(spec), "runner.py": RUNNER}
    found |= {f"src/{name}": text for name, text in files.items()}
    found |= {f"tests/{name}": text for name, text in project.visible_tests.items()}
    found["hidden.json"] = json.dumps({} if visible_only else project.hidden_tests)
    return found


def sandbox_limits(project) -> sandbox.Limits:
    """A run's budget, the same for a learner's submission and for `codedrill check`: the
    project's wall time, memory and output, no network (the sandbox has only its own loopback).
    The learner's servers print into files of the run, so the output limit bounds each file
    too: a server printing past it is stopped. PostgreSQL writes its log (WAL) in 16 MB files:
    on it, files keep the sandbox's own limit.

    Memory is the whole run's resident memory. What each process may map stays the sandbox's
    default: every thread of a gunicorn server reserves a 64 MB malloc arena, so 20 threads map
    1.2 GB while they hold a few dozen, and at 512 MB a threaded server failed at random."""
    wall, memory, output = (project.limits[k] for k in ("wall_seconds", "memory_mb", "output_kb"))
    files = sandbox.Limits.file_bytes if project.database == "postgresql" else output * 1024
    return sandbox.Limits(
        wall_seconds=wall, memory_bytes=memory * sandbox.MiB, output_bytes=output * 1024,
        file_bytes=files, address_bytes=sandbox.Limits.memory_bytes,
    )  # fmt: skip
