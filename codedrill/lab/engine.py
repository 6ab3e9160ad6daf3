"""The experiment engine: run a tiny Django site under a real server and time requests to it.

Proofs use it to decide answer keys; the lab uses it to show learners the same runs. Servers
start the way a learner's would: Python's default warning filters, Django's default settings
and middleware (as `startproject` writes them, DEBUG off), the server's own defaults. Anything
else is a knob: it is set on `Site` or `Server`, and every run records its knobs
(`Result.knobs`, and `servers_started` for the proof's report), so a question's stated setup
can be compared with what really ran. `run` stops every process it started, whatever happens.

A site is the source of one Python module that defines `urlpatterns` (and anything they use).
`Site.middleware` lists dotted paths; `lab_site.X` names a class or function in the site itself,
and QUERY_COUNTER one that counts each request's database queries into a response header.
"""

import asyncio
import atexit
import hashlib
import http.client
import importlib.util
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from codedrill import sandbox

SERVERS = ("uvicorn", "gunicorn")
# The last line of a traceback, e.g. "django.core.exceptions.SynchronousOnlyOperation: ...".
EXCEPTION_LINE = re.compile(r"^(?:[\w.]+\.)?([A-Z][A-Za-z]*(?:Error|Exception|Operation)):", re.M)
READY_PATH = "/__ready__/"
OUTPUT_LIMIT = 64_000  # characters of server output kept per stream
# What `django-admin startproject` puts in MIDDLEWARE in Django 5.2.
DEFAULT_MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
)
# startproject's apps, less the admin and static files, which no lab site serves.
DEFAULT_APPS = (
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
)
DATABASES = ("sqlite", "postgresql")
DEFAULT_BACKLOG = 2048  # uvicorn's and gunicorn's own default
WARNINGS = ("default", "always")  # Python's filters, or `-W always`: every warning, each time
# A middleware every site can list (first, to count what the others run too): it counts the
# queries each request runs, as assertNumQueries does, into the QUERY_HEADER of its response.
QUERY_COUNTER = "lab_queries.count_queries"
QUERY_HEADER = "X-Queries"


class ExperimentError(Exception):
    """The site or server could not be run; the message says why, with the server's output."""


@dataclass(frozen=True)
class Site:
    code: str
    middleware: tuple[str, ...] = DEFAULT_MIDDLEWARE
    # True or "sqlite": an SQLite file; "postgresql": a database in a throwaway PostgreSQL
    # cluster of the run's own. Either is migrated (auth, contenttypes, sessions, lab_app).
    database: bool | str = False
    # Per-database settings such as CONN_MAX_AGE or ATOMIC_REQUESTS (a top-level one is ignored).
    database_options: tuple[tuple[str, object], ...] = ()
    settings: tuple[tuple[str, object], ...] = ()  # other settings, as (name, value)
    # Other modules beside the site, as (file name, code): a project's other learner files.
    modules: tuple[tuple[str, str], ...] = ()
    # The code of the site's models, the app `lab_app` (`from lab_app.models import Book`). It
    # brings the database, whose tables are made from the models as they are, without migrations.
    models: str = ""
    # Python run once after the tables are made and before the server starts, with Django set
    # up: the rows the site serves, e.g. "from lab_site import seed; seed(50)".
    seed: str = ""

    def __post_init__(self):
        if self.database not in (False, True, *DATABASES):
            raise ExperimentError(f"database must be one of {DATABASES}, not {self.database!r}")

    @property
    def database_kind(self) -> str | None:
        """ "sqlite", "postgresql" or None; models bring SQLite unless another is named."""
        if isinstance(self.database, str):
            return self.database
        return "sqlite" if self.database or self.models else None


@dataclass(frozen=True)
class Server:
    kind: str = "uvicorn"
    workers: int = 1
    threads: int = 1  # gunicorn only: 1 is the sync worker, more is gthread
    backlog: int = DEFAULT_BACKLOG
    warnings: str = "default"

    def __post_init__(self):
        if self.kind not in SERVERS:
            raise ExperimentError(f"server must be one of {SERVERS}, not {self.kind!r}")
        if self.kind == "uvicorn" and self.threads != 1:
            raise ExperimentError("uvicorn runs one event loop per worker; threads must be 1")
        if not all(isinstance(n, int) for n in (self.workers, self.threads, self.backlog)) or not (
            1 <= self.workers <= 8 and 1 <= self.threads <= 32 and 1 <= self.backlog <= 4096
        ):
            raise ExperimentError("workers 1-8, threads 1-32 and backlog 1-4096, whole numbers")
        if self.warnings not in WARNINGS:
            raise ExperimentError(f"warnings must be one of {WARNINGS}, not {self.warnings!r}")

    def describe(self) -> str:
        workers = f"{self.workers} worker{'s' if self.workers > 1 else ''}"
        if self.kind == "uvicorn":
            return f"uvicorn (ASGI), {workers}"
        threads = f"{self.threads} thread{'s' if self.threads > 1 else ''} each"
        return f"gunicorn (WSGI), {workers}, {threads}"


@dataclass
class Request:
    index: int
    path: str
    start: float  # seconds since the first request was sent
    end: float
    status: int | None  # None when the request failed; see `error`
    body: str
    error: str = ""
    headers: dict = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        _timings_read()
        return self.end - self.start

    @property
    def queries(self) -> int | None:
        """The database queries the request ran, when the site lists QUERY_COUNTER."""
        value = self.headers.get(QUERY_HEADER.lower(), "")
        return int(value) if value.isdigit() else None


@dataclass
class Result:
    server: Server
    requests: list[Request]
    stdout: str
    stderr: str
    knobs: dict = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per server process
    startup: str = ""  # stdout before the timed requests: start-up and the readiness checks
    tally: Request | None = None  # the `tally` request, sent once every request was answered

    @property
    def wall(self) -> float:
        """Seconds from the first request sent to the last response received."""
        _timings_read()
        return max((r.end for r in self.requests), default=0.0)

    def warnings(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if "Warning:" in line]

    def errors(self) -> list[str]:
        """Class names of the exceptions whose tracebacks the server printed, in order."""
        return EXCEPTION_LINE.findall(self.stderr)


# The knobs of every server this process started (and of every site `configure` set up), and
# whether timings were read: proofs report both, so the checker can hold a question's stated
# setup against what ran, and run a proof that depends on timing more than once.
servers_started: list[dict] = []
timed = False
# The process group (and session) of each of them: how a test finds what a run left behind.
process_groups: list[int] = []


def about_seconds(seconds: float) -> int:
    """A measured duration as the whole seconds a claim ("about 2 s") states. A busy machine only
    ever stretches a wait, never shortens it, so N covers N - 0.2 up to N + 0.8: plain rounding
    left 0.5 s for the stretch, and a 2 s wait measured at 2.51 s on a loaded CI machine."""
    return math.floor(seconds + 0.2)


def _timings_read() -> None:
    global timed
    timed = True


def _loop(server: Server) -> str | None:
    """The event loop uvicorn picks by default: uvloop when it is installed, else asyncio."""
    if server.kind != "uvicorn":
        return None
    return "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"


def knobs(site: Site, server: Server | None) -> dict:
    """What shapes a run, in the terms a question's `setup` uses; None for the test client."""
    found = {
        "server": server.kind if server else "test-client",
        "middleware": "default" if site.middleware == DEFAULT_MIDDLEWARE else list(site.middleware),
        "database": site.database_kind or "none",
        "database_options": dict(site.database_options),
        "settings": dict(site.settings),
    }
    if server:
        found |= {
            "workers": server.workers,
            "threads": server.threads,
            "backlog": server.backlog,
            "warnings": server.warnings,
            "loop": _loop(server),
        }
    return found


_SETTINGS = """\
SECRET_KEY = "lab-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "lab_urls"
TIME_ZONE = "UTC"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = {apps!r}
MIDDLEWARE = {middleware!r}
DATABASES = {databases!r}
LOGGING = {{"version": 1, "disable_existing_loggers": False,
    "handlers": {{"stderr": {{"class": "logging.StreamHandler"}}}},
    "loggers": {{"django": {{"handlers": ["stderr"], "level": "WARNING"}}}}}}
"""
_URLS = """\
from django.http import HttpResponse
from django.urls import path
from lab_site import urlpatterns as site_urlpatterns

def ready(request):
    return HttpResponse("ready")

urlpatterns = [path("__ready__/", ready), *site_urlpatterns]
"""
_QUERIES = f"""\
from django.db import connection
from django.test.utils import CaptureQueriesContext

def count_queries(get_response):
    def middleware(request):
        with CaptureQueriesContext(connection) as queries:
            response = get_response(request)
        response[{QUERY_HEADER!r}] = str(len(queries))
        return response
    return middleware
"""
# Run once before the server starts, in one process: the tables, then the site's seed.
_PREPARE = """\
import django
django.setup()
"""
_MIGRATE = """\
from django.core.management import call_command
call_command("migrate", run_syncdb=True, verbosity=0, skip_checks=False)
"""
_ENTRY = """\
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lab_settings")
from django.core.{kind} import get_{kind}_application
application = get_{kind}_application()
"""


def _settings_text(site: Site, folder: Path, postgres: dict | None = None) -> str:
    apps = [*DEFAULT_APPS, *(["lab_app"] if site.models else [])]
    databases = {}
    if site.database_kind == "sqlite":
        default = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(folder / SQLITE_FILE)}
        databases = {"default": default | dict(site.database_options)}
    elif site.database_kind == "postgresql":
        databases = {"default": postgres | dict(site.database_options)}
    settings = _SETTINGS.format(apps=apps, middleware=list(site.middleware), databases=databases)
    return settings + "".join(f"{name} = {value!r}\n" for name, value in site.settings)


def write_site(site: Site, folder: Path, postgres: dict | None = None) -> bool:
    """Write the site as an importable project: lab_site, lab_urls, lab_settings, asgi, wsgi,
    with its database (on PostgreSQL a new one, unless `postgres` names it). True when the
    database starts from a template of the sandbox's, with the default apps' tables made."""
    from_template = False
    if site.database_kind == "postgresql" and postgres is None:
        postgres, from_template = _new_postgres_database(from_template=not site.settings)
    elif site.database_kind == "sqlite":
        from_template = _copy_sqlite_template(site, folder)
    settings = _settings_text(site, folder, postgres)
    if site.models:
        (folder / "lab_app").mkdir()
        (folder / "lab_app" / "__init__.py").write_text("", encoding="utf-8")
        (folder / "lab_app" / "models.py").write_text(site.models, encoding="utf-8")
    files = {
        "lab_site.py": site.code,
        "lab_urls.py": _URLS,
        "lab_queries.py": _QUERIES,
        "lab_settings.py": settings,
        "lab_asgi.py": _ENTRY.format(kind="asgi"),
        "lab_wsgi.py": _ENTRY.format(kind="wsgi"),
    }
    files = {**dict(site.modules), **files}  # a module never replaces the site's own files
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return from_template


def _environment(folder: Path) -> dict[str, str]:
    # A warning filter inherited from the caller (PYTHONWARNINGS) would be a knob nobody stated.
    skip = ("DJANGO_", "CODEDRILL_", "PYTHONWARNINGS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env.update(
        DJANGO_SETTINGS_MODULE="lab_settings",
        PYTHONPATH=str(folder),
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _command(server: Server, port: int) -> list[str]:
    """The server's command line: its defaults, but for the knobs and two quiet logs (the
    servers' own info lines would mix with what the site prints; they change no timing)."""
    python = [sys.executable, *(["-W", "always"] if server.warnings == "always" else []), "-m"]
    if server.kind == "uvicorn":
        return [*python, "uvicorn", "lab_asgi:application",
                "--host", "127.0.0.1", "--port", str(port),
                "--workers", str(server.workers), "--backlog", str(server.backlog),
                "--no-access-log", "--log-level", "warning"]  # fmt: skip
    worker_class = "gthread" if server.threads > 1 else "sync"
    # --no-control-socket: gunicorn 27 would leave a socket under ~/.gunicorn; the graceful
    # timeout only bounds how long stopping it may take.
    return [*python, "gunicorn", "lab_wsgi:application",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(server.workers), "--threads", str(server.threads),
            "--worker-class", worker_class, "--backlog", str(server.backlog),
            "--no-control-socket", "--graceful-timeout", "2",
            "--log-level", "warning"]  # fmt: skip


def free_port() -> int:
    """A free loopback port below 32768: the kernel hands ports above that to outgoing
    connections, and a busy load test could be holding the one a server wants."""
    for _ in range(100):
        port = random.randrange(20000, 32000)  # noqa: S311 - not for security
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise ExperimentError("no free loopback port between 20000 and 32000")


def _tail(path: Path, skip: int) -> str:
    with path.open("rb") as stream:
        stream.seek(skip)
        data = stream.read(OUTPUT_LIMIT * 4)
    text = data.decode("utf-8", "replace")
    if len(text) > OUTPUT_LIMIT:
        text = text[:OUTPUT_LIMIT] + "\n[output cut]\n"
    return text


def _stop(process: subprocess.Popen) -> None:
    """Stop the server's whole process group: politely, then for sure."""
    for sig, wait in ((signal.SIGTERM, 3), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


# A readiness check taken and closed unanswered: gunicorn does so when the site's error page
# fails too (a print into a full output file, say). As broken as a 500, and as final.
UNANSWERED = 0


def _ready_status(port: int) -> int | None:
    """The status of one readiness check on a connection of its own, UNANSWERED, or None while
    the server does not answer. Plain http.client: a new httpx client per check (httpx.get)
    costs about 30 ms of CPU for its TLS set-up, and a server start polls tens of times."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", READY_PATH)
        response = connection.getresponse()
        response.read()
        return response.status
    except http.client.RemoteDisconnected:
        return UNANSWERED
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def _wait_ready(process: subprocess.Popen, port: int, server: Server, deadline: float) -> None:
    successes = failures = 0
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ExperimentError(f"the server exited with code {process.returncode}")
        status = _ready_status(port)
        if status == UNANSWERED or (status is not None and status >= 500):
            failures += 1
            if failures >= 10:  # the server is up but the site is broken: say so now
                if status == UNANSWERED:
                    raise ExperimentError(
                        "the server closes the connection without answering a plain page"
                    )
                raise ExperimentError(f"the site answers {status} to a plain page")
        if status == 200:
            successes += 1
            # Each worker imports Django on its own; ask more than once so that the timed
            # requests do not meet a worker still starting.
            if successes >= server.workers * 2:
                if server.workers > 1:
                    time.sleep(0.3)
                return
            continue
        time.sleep(0.05)
    raise ExperimentError("the server did not become ready in time")


async def _fire(port, paths, concurrency, timeout, answered, tally=None):
    """(each request, in the order given; the tally request, or None)."""
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    gate = asyncio.Semaphore(concurrency)
    # Plain HTTP to loopback: no certificates to load (httpx's default costs ~30 ms of CPU).
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}",
        limits=limits,
        timeout=timeout,
        verify=False,  # noqa: S501 - never TLS
    ) as client:
        t0 = time.perf_counter()

        async def one(index: int, path: str, delay: float, counted: bool = True) -> Request:
            await asyncio.sleep(delay)
            async with gate:
                start = time.perf_counter() - t0
                headers = {}
                try:
                    response = await client.get(path)
                    status, body, error = response.status_code, response.text[:2000], ""
                    headers = dict(response.headers)
                except httpx.HTTPError as exc:
                    status, body, error = None, "", f"{type(exc).__name__}: {exc}"
                end = time.perf_counter() - t0
                if answered and counted:
                    answered(index)
                return Request(index, path, start, end, status, body, error, headers)

        done = await asyncio.gather(*(one(i, p, d) for i, (p, d) in enumerate(paths)))
        return done, (await one(len(paths), tally, 0.0, counted=False) if tally else None)


def _run_coroutine(coroutine):
    """asyncio.run, also from a thread that already runs an event loop (a test's, say)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# Templates: a database of each kind with the default apps migrated, made by the sandbox once
# per machine and read-only in runs; a run copies one rather than migrating them again. A site
# with settings of its own never starts from one (they could change the default apps' tables).
SQLITE_FILE = "db.sqlite3"
POSTGRES_TEMPLATE_DATABASE = "lab_template"
_TEMPLATE_DATABASE = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": POSTGRES_TEMPLATE_DATABASE,
    "USER": "postgres",
    "HOST": "/template",
}


def template_key(kind: str) -> str:
    """What names a template of `kind` ("sqlite" or "postgresql"): a hash of everything that
    shapes what `migrate` makes of the default apps (Django, the settings written, SQLite's
    version); the sandbox puts it in the template's folder name."""
    import sqlite3

    site = Site("urlpatterns = []\n", database=kind)
    settings = _settings_text(site, Path("/template"), _TEMPLATE_DATABASE)
    library = sqlite3.sqlite_version if kind == "sqlite" else ""
    made_by = "\n".join([_django_version(), library, settings])
    return hashlib.sha256(made_by.encode()).hexdigest()[:16]


def sqlite_template_name() -> str:
    return f"sqlite-{template_key('sqlite')}"


def _migrate_template(kind: str, postgres: dict | None = None) -> Path:
    """Migrate the default apps into a new site's database, as `run` does; its folder."""
    folder = Path(tempfile.mkdtemp(prefix="codedrill-template-"))
    write_site(Site("urlpatterns = []\n", database=kind), folder, postgres)
    subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-c", _PREPARE + _MIGRATE],
        cwd=folder, env=_environment(folder), check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return folder


def make_sqlite_template(folder: Path) -> None:
    """The SQLite template: `folder`/db.sqlite3."""
    site_folder = _migrate_template("sqlite")
    try:
        shutil.move(site_folder / SQLITE_FILE, folder / SQLITE_FILE)
    finally:
        shutil.rmtree(site_folder, ignore_errors=True)


def make_postgres_template(bin_dir: Path, socket: Path) -> None:
    """The PostgreSQL template: the database POSTGRES_TEMPLATE_DATABASE in the running cluster
    whose socket is in `socket`, which runs' databases are then made from."""
    subprocess.run(  # noqa: S603 - fixed argv
        [bin_dir / "createdb", "-h", socket, "-U", "postgres", POSTGRES_TEMPLATE_DATABASE],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    shutil.rmtree(_migrate_template("postgresql", _TEMPLATE_DATABASE | {"HOST": str(socket)}))


def _copy_sqlite_template(site: Site, folder: Path) -> bool:
    """Copy the sandbox's SQLite template into the site's folder, where it fits."""
    template = os.environ.get(sandbox.SQLITE_TEMPLATE_ENV)
    if not template or site.settings or Path(template).name != sqlite_template_name():
        return False  # none, a site that could change the default apps, or another engine's
    shutil.copyfile(Path(template) / SQLITE_FILE, folder / SQLITE_FILE)
    return True


def run(
    site: Site,
    server: Server,
    requests: list[str | tuple[str, float]],
    concurrency: int | None = None,
    timeout: float = 30.0,
    answered=None,
    tally: str | None = None,
) -> Result:
    """Start `site` under `server`, send `requests` (a path, or (path, delay in seconds)),
    at most `concurrency` at a time (default: all at once), and return what happened.
    `answered(index)` is called as each request ends. `tally`, a path, is asked once every
    request has been answered, before the server stops: what the requests left behind, such
    as a stock count, read without guessing how long they take."""
    paths = [(r, 0.0) if isinstance(r, str) else (r[0], float(r[1])) for r in requests]
    if not 1 <= len(paths) <= 200:
        raise ExperimentError("send between 1 and 200 requests")
    concurrency = concurrency or len(paths)
    folder = Path(tempfile.mkdtemp(prefix="codedrill-lab-"))
    process = None
    try:
        from_template = write_site(site, folder)
        env = _environment(folder)
        # A template is all migrate would make of a site without models or database options
        # (an init_command, say) of its own.
        migrate = site.database_kind and not (
            from_template and not site.models and not site.database_options
        )
        if migrate or site.seed:
            subprocess.run(  # noqa: S603 - the site's own code, run where its server runs
                [sys.executable, "-c", _PREPARE + (_MIGRATE if migrate else "") + site.seed],
                cwd=folder, env=env, check=True, capture_output=True, timeout=60,
            )  # fmt: skip
        port = free_port()
        out, err = folder / "stdout.txt", folder / "stderr.txt"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            process = subprocess.Popen(  # noqa: S603 - fixed argv
                _command(server, port), cwd=folder, env=env,
                stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        servers_started.append(knobs(site, server))
        process_groups.append(process.pid)
        deadline = time.monotonic() + 30
        try:
            _wait_ready(process, port, server, deadline)
        except ExperimentError as exc:
            _stop(process)
            raise ExperimentError(f"{exc}\n{_tail(err, 0)}") from None
        # Output from the readiness checks is not part of the experiment.
        skip_out, skip_err = out.stat().st_size, err.stat().st_size
        startup = out.read_text(encoding="utf-8", errors="replace")[:OUTPUT_LIMIT]
        cpu_before = _cpu_by_process(process.pid)
        timed, tallied = _run_coroutine(_fire(port, paths, concurrency, timeout, answered, tally))
        time.sleep(0.1)  # let the server flush what the last request printed
        cpu = {
            label: round(seconds - cpu_before.get(label, 0.0), 3)
            for label, seconds in _cpu_by_process(process.pid).items()
        }
        # Read before stopping: what a server prints while shutting down is not the experiment.
        stdout, stderr = _tail(out, skip_out), _tail(err, skip_err)
        _stop(process)
        return Result(
            server=server,
            requests=timed,
            stdout=stdout,
            stderr=stderr,
            cpu=cpu,
            startup=startup,
            tally=tallied,
            knobs=knobs(site, server)
            | {
                "described": server.describe(),
                "client_connections": concurrency,
                "python": sys.version.split()[0],
                "django": _django_version(),
            },
        )
    except subprocess.CalledProcessError as exc:
        what = "migrate or seeding" if site.seed else "migrate"
        raise ExperimentError(f"{what} failed:\n{exc.stderr.decode(errors='replace')}") from None
    finally:
        if process is not None and process.poll() is None:
            _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def _cpu_by_process(group: int) -> dict[str, float]:
    """CPU seconds each process of the server's group has used so far, by a stable label."""
    from codedrill.sandbox import processes_in

    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in sorted(processes_in(session=group)):
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        label = "main process" if pid == group else f"worker {pid}"
        found[label] = (int(fields[11]) + int(fields[12])) / tick
    return found


def _django_version() -> str:
    import django

    return django.get_version()


# This process's PostgreSQL cluster, made at its first use and stopped at exit: each run gets
# a new database in it, since a proof that compares runs must not see the last run's rows.
_postgres: dict = {}


def postgres_database() -> dict:
    """Django's settings for a new, empty database in this process's cluster (only over its
    Unix socket: the cluster listens on no port). PostgreSQL refuses to run as root, so a
    proof that uses it runs through `codedrill check`, as the sandbox's own user."""
    return _new_postgres_database(from_template=False)[0]


def _new_postgres_database(from_template: bool) -> tuple[dict, bool]:
    """A new database's settings, and whether it was made from the cluster's template database
    (asked for, and the cluster was copied from a template of this engine's)."""
    if importlib.util.find_spec("psycopg") is None:
        raise ExperimentError("PostgreSQL needs psycopg: pip install 'codedrill[postgres]'")
    if os.geteuid() == 0:
        raise ExperimentError("PostgreSQL will not run as root: run this through the sandbox")
    if not _postgres:
        bin_dir = sandbox.postgres_bin()
        if bin_dir is None:
            raise ExperimentError(
                "PostgreSQL is not installed (Debian: apt-get install postgresql)"
            )
        folder = Path(tempfile.mkdtemp(prefix="codedrill-pg-"))
        data = folder / "data"
        options = f"-c listen_addresses='' -k {folder} -c fsync=off -c full_page_writes=off"
        template = os.environ.get(sandbox.POSTGRES_TEMPLATE_ENV)
        try:
            if template:
                shutil.copytree(template, data)  # the sandbox's, made by the same initdb
                data.chmod(0o700)  # as PostgreSQL requires of its data folder
            else:
                subprocess.run(  # noqa: S603 - fixed argv
                    [bin_dir / "initdb", "-D", data, *sandbox.INITDB_OPTIONS],
                    check=True, capture_output=True, timeout=120,
                )  # fmt: skip
            subprocess.run(  # noqa: S603 - fixed argv
                [bin_dir / "pg_ctl", "-D", data, "-l", folder / "log", "-w", "-t", "60",
                 "-o", options, "start"],
                check=True, capture_output=True, timeout=90,
            )  # fmt: skip
        except subprocess.CalledProcessError as exc:
            log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
            output = exc.stderr.decode(errors="replace") + log
            raise ExperimentError(f"PostgreSQL did not start:\n{output[-2000:]}") from None
        atexit.register(_stop_postgres, bin_dir, folder)
        migrated = bool(template) and template.endswith(template_key("postgresql"))
        _postgres.update(bin=bin_dir, socket=folder, made=0, migrated=migrated)
    _postgres["made"] += 1
    name = f"lab_{_postgres['made']}"
    from_template = from_template and _postgres["migrated"]
    source = ["-T", POSTGRES_TEMPLATE_DATABASE] if from_template else []
    subprocess.run(  # noqa: S603 - fixed argv
        [_postgres["bin"] / "createdb", "-h", _postgres["socket"], "-U", "postgres", *source,
         name],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    settings = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": str(_postgres["socket"]),
    }
    return settings, from_template


def _stop_postgres(bin_dir: Path, folder: Path) -> None:
    subprocess.run(  # noqa: S603 - fixed argv
        [bin_dir / "pg_ctl", "-D", folder / "data", "-m", "immediate", "stop"],
        capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)


def configure(site: Site) -> None:
    """Set up Django in this process for `site`, for proofs that need no server: afterwards
    django.test.Client() and AsyncClient() talk to the site directly."""
    import django

    folder = Path(tempfile.mkdtemp(prefix="codedrill-site-"))
    atexit.register(shutil.rmtree, folder, True)
    write_site(site, folder)  # a template's tables spare migrate below most of its work
    servers_started.append(knobs(site, None))
    sys.path.insert(0, str(folder))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lab_settings"
    django.setup()
    if site.database_kind:
        from django.core.management import call_command

        call_command("migrate", run_syncdb=True, verbosity=0)
    if site.seed:
        exec(site.seed, {})  # noqa: S102 - the site's own seeding code, as `run` runs it
