import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from codedrill.settings import env_bool

# Playwright's sync API runs an event loop on the test thread; Django's async-safety guard would
# refuse ORM calls there. Tests only: never set this anywhere else.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parent.parent
BUNDLED_CONTENT = REPO / "content"
EXAMPLE_CONTENT = REPO / "docs" / "example-content"  # the authoring guide's example pattern
CODEDRILL = str(Path(sys.executable).with_name("codedrill"))  # the installed console script
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Under CI (.ci/run exports CI=true) a missing browser or sandbox fails instead of skipping;
# CI=false, 0 or empty is not CI.
IN_CI = env_bool("CI")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def left_running(session: int | None = None, namespace: int | None = None) -> list[int]:
    """Processes still alive in a session (a process group) that the test started, or in a
    sandbox run's PID namespace. Waits briefly, since the kernel ends a killed group
    asynchronously."""
    from codedrill.sandbox import processes_in

    for _ in range(40):
        if not (found := processes_in(namespace=namespace, session=session)):
            return []
        time.sleep(0.05)
    return found


def missing(message: str) -> None:
    """A test whose tool is missing: skipped with `message` (what to install), failed under CI,
    where every test must run."""
    if IN_CI:
        pytest.fail(f"CI=true, but {message}", pytrace=False)
    pytest.skip(message)


def require_sandbox() -> None:
    from codedrill.sandbox import unavailable_reason

    if reason := unavailable_reason():
        missing(
            f"the full sandbox is not available here ({reason}): run as root with bubblewrap "
            "installed (`make sandbox`, or apt-get install bubblewrap)"
        )


@pytest.fixture
def full_sandbox():
    """The full sandbox, or a skip that says what is missing; CI must have it."""
    require_sandbox()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """A test database of this run's own, so two runs never share one: on SQLite a file (WAL,
    and the write queue's lock file beside it) in the run's temporary folder; on PostgreSQL a
    name with the run's process id (pytest-django drops it at the end)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "codedrill.sqlite":
        name = str(tmp_path_factory.mktemp("database") / "test.sqlite3")
    else:
        name = f"test_{database['NAME']}_{os.getpid()}"
    database.setdefault("TEST", {})["NAME"] = name


def pytest_configure(config):
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it


# The bundled proofs take minutes in one process: they start first, so the other workers of
# `make test` (pytest-xdist, a file per worker at a time) finish the rest meanwhile.
LONGEST_FIRST = "test_bundled_proofs.py"


@pytest.hookimpl(trylast=True)  # after any reordering plugin
def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.path.name != LONGEST_FIRST)  # stable: the rest keep order
    if Path(CHROMIUM).exists():
        return
    message = f"no Chromium at {CHROMIUM}: install it (`make browser`, or apt-get install chromium)"
    if IN_CI:
        raise pytest.UsageError(f"CI=true, but {message}")
    skip = pytest.mark.skip(reason=message)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _forget_published_content():
    """Each test's database starts anew, and on SQLite its rows may get the ids an earlier
    test's had: what Pattern.published and QuestionVersion.shared kept must not carry over."""
    from codedrill.content import models

    models._published.clear()
    models._versions.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="module")
def published_for_module(django_db_setup, django_db_blocker):
    """The bundled content published once for a whole module (publishing takes about a second),
    in a transaction rolled back when the module ends; each test's own transaction nests inside
    it as a savepoint, as with Django's TestCase.setUpTestData. A module opts in with
    `pytestmark = pytest.mark.usefixtures("published_for_module")`; not for transactional tests."""
    from django.db import transaction

    from codedrill.content.publish import publish

    with django_db_blocker.unblock(), transaction.atomic():
        publish(BUNDLED_CONTENT)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def pattern(request, db):
    """The bundled pattern, published into the test database (once per module where the module
    asks for `published_for_module`)."""
    from codedrill.content.models import Pattern
    from codedrill.content.publish import publish

    if "published_for_module" not in request.fixturenames:
        publish(BUNDLED_CONTENT)
    return Pattern.objects.get(slug="async-django")


@pytest.fixture
def two_tracks(tmp_path, db):
    """The bundled patterns and the example one (track `examples`) published together: a catalog
    with more than one track. Returns the example pattern."""
    from codedrill.content.models import Pattern
    from codedrill.content.publish import publish

    root = Path(shutil.copytree(BUNDLED_CONTENT, tmp_path / "two-tracks"))
    shutil.copytree(EXAMPLE_CONTENT / "examples", root / "examples")
    publish(root)
    return Pattern.objects.get(slug="awaiting-basics")


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A writable copy of the bundled content, for tests that edit it."""
    return Path(shutil.copytree(BUNDLED_CONTENT, tmp_path / "content"))


@pytest.fixture
def example_copy(tmp_path) -> Path:
    """A writable copy of the authoring guide's example content."""
    return Path(shutil.copytree(EXAMPLE_CONTENT, tmp_path / "example"))


@pytest.fixture(scope="session")
def example_check_data(tmp_path_factory, worker_id) -> tuple[Path, dict]:
    """One `codedrill check --json` of the authoring example per test run, shared by its
    parallel workers (each checking it for itself cost CI about a minute of CPU): what it
    printed, and a data folder of this worker's own holding a copy of its observation cache."""
    run = tmp_path_factory.getbasetemp()
    shared = run if worker_id == "master" else run.parent  # one folder per run, either way
    outcome_file = shared / "example-check.json"
    with (shared / "example-check.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not outcome_file.exists():
            env = {**os.environ, "CODEDRILL_DATA_DIR": str(shared / "example-check-data")}
            result = subprocess.run(
                [CODEDRILL, "check", str(EXAMPLE_CONTENT), "--json"],
                capture_output=True, text=True, timeout=300, env=env,
            )  # fmt: skip
            outcome = {"returncode": result.returncode, "stdout": result.stdout,
                       "stderr": result.stderr}  # fmt: skip
            outcome_file.write_text(json.dumps(outcome), encoding="utf-8")
    own = tmp_path_factory.mktemp("example-check-data")
    shutil.copytree(shared / "example-check-data", own, dirs_exist_ok=True)
    return own, json.loads(outcome_file.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def example_checked(example_check_data) -> tuple[subprocess.CompletedProcess, dict]:
    """That check's result, and the environment that points at this worker's copy of its
    observation cache, so a later check of an edited copy runs only what the edit changed."""
    data, outcome = example_check_data
    args = [CODEDRILL, "check", str(EXAMPLE_CONTENT), "--json"]
    result = subprocess.CompletedProcess(args, **outcome)
    return result, {**os.environ, "CODEDRILL_DATA_DIR": str(data)}


@pytest.fixture(scope="session")
def example_cache(example_check_data) -> Path:
    """The example's observation cache, which the run's one check of it filled: a check of an
    edited copy against it runs only the proofs the edit changed."""
    from codedrill.content.check import check

    path = example_check_data[0] / "check-cache.json"
    report = check(EXAMPLE_CONTENT, cache=path)  # every observation from the cache
    assert report["ok"], report["patterns"]
    return path


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user("ada", "ada@example.com", "correct-horse-9")


@pytest.fixture
def other_learner(django_user_model):
    return django_user_model.objects.create_user("bob", "bob@example.com", "battery-staple-7")
