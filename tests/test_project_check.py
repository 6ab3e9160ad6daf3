"""A project that does not discriminate cannot pass `codedrill check`: an edit to a copy of the
authoring example's project (a test flipped, a starter or a wrong solution that passes) fails
the check and says what is wrong. Each check reuses the cache `example_checked` filled, so it
runs only the project variants the edit changed."""

import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import BUNDLED_CONTENT, CODEDRILL

from codedrill import sandbox
from codedrill.content import check
from codedrill.content.loader import load_tree
from codedrill.content.projects import read_project
from codedrill.projects import harness

pytestmark = pytest.mark.content
PROJECT = "examples/awaiting-basics/project"


def flip_a_test(project):
    test = project / "tests" / "hidden" / "test_status_waits.py"
    test.write_text(test.read_text().replace("page.seconds >= 0.45", "page.seconds >= 5"))


def starter_already_solved(project):
    shutil.copy(project / "solution" / "site.py", project / "starter" / "site.py")


def wrong_solution_that_is_right(project):
    shutil.copy(project / "solution" / "site.py", project / "wrong" / "no-await" / "site.py")


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            flip_a_test,
            # The seconds vary with the machine's load: the message up to them.
            "the solution fails test_the_status_page_still_waits_for_its_check: /status/ "
            "answered in ",
        ),
        (
            starter_already_solved,
            "the starter passes every test of step 'await': its tests do not show the step is "
            "needed.",
        ),
        (
            wrong_solution_that_is_right,
            "wrong/no-await passes every test of step 'await', which it should get wrong.",
        ),
    ],
)
def test_a_project_that_does_not_discriminate_fails_the_check(
    example_checked, example_copy, edit, problem
):
    first, env = example_checked
    assert first.returncode == 0, first.stdout + first.stderr  # the example as shipped passes
    edit(example_copy / PROJECT)
    result = subprocess.run(
        [CODEDRILL, "check", str(example_copy)],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout
    assert f"FAILED project ({example_copy / PROJECT / 'project.yaml'}:" in result.stdout
    assert f"    - {problem}" in result.stdout, result.stdout
    assert "project 0/1 proven" in result.stdout


def test_a_projects_models_file_is_a_starter_file_and_its_seed_is_python(tmp_path):
    project = Path(shutil.copytree(BUNDLED_CONTENT / "django/n-plus-one/project", tmp_path / "p"))
    text = (project / "project.yaml").read_text(encoding="utf-8")
    text = text.replace("models: models.py", "models: schema.py").replace(
        "  from lab_app.models import Author, Book, Tag", "  from lab_app.models import ("
    )
    (project / "project.yaml").write_text(text, encoding="utf-8")
    errors = []
    assert read_project(project, errors) is None
    messages = [f"{e.line}: {e.message}" for e in errors]
    assert messages == [
        "13: `models` 'schema.py' is not another starter file.",
        "14: `seed` has a syntax error: '(' was never closed.",
    ]


def test_a_project_names_its_database_and_a_bad_one_is_refused(tmp_path):
    project = Path(shutil.copytree(BUNDLED_CONTENT / "django/n-plus-one/project", tmp_path / "p"))
    yaml_path = project / "project.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(text.replace("models: models.py", "models: models.py\ndatabase: mysql"))
    errors = []
    assert read_project(project, errors) is None
    assert [f"{e.line}: {e.message}" for e in errors] == [
        "14: `database` must be sqlite (or true), postgresql or none, not 'mysql'."
    ]
    yaml_path.write_text(
        text.replace("models: models.py", "models: models.py\ndatabase: postgresql")
    )
    assert read_project(project, []).database == "postgresql"
    yaml_path.write_text(text)
    assert read_project(project, []).database == ""  # SQLite, as the models bring it


def test_the_check_proves_a_project_under_the_limits_a_learners_submission_gets():
    """A project on PostgreSQL once passed the check and failed every learner's submission:
    its WAL files (16 MB) broke the 1 MB file limit that submissions had and the check had not.
    The check now runs each variant under the very limits a submission gets."""
    patterns, _errors = load_tree(BUNDLED_CONTENT)
    for pattern in patterns:
        if project := pattern.project:
            limits = {job.limits for job in check._jobs(pattern) if job.item is project}
            assert limits == {harness.sandbox_limits(project)}, pattern.slug
            files = harness.sandbox_limits(project).file_bytes
            output = project.limits["output_kb"] * 1024
            if project.database == "postgresql":  # its WAL files are 16 MB
                assert files == sandbox.Limits.file_bytes > 16 * sandbox.MiB > output
            else:
                assert files == output


THREADED_SITE = """
import threading

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.urls import path

all_in = threading.Barrier(20, timeout=10)


def count(request):
    all_in.wait()  # every thread connects to the database at once
    return HttpResponse(str(User.objects.count()))


urlpatterns = [path("count/", count)]
"""
THREADED_TEST = """
def test_twenty_threads_answer(project):
    run = project.run(["/count/"] * 20, server="gunicorn", threads=20)
    assert [r.status for r in run.requests] == [200] * 20, run.stderr[-2000:]
"""


def test_a_server_with_twenty_threads_fits_a_submissions_memory(full_sandbox, tmp_path):
    """Each gunicorn thread reserves a 64 MB malloc arena: a 20-thread server maps about
    1.2 GB. When each process of a submission could map only the project's 512 MB, its
    requests failed at random (`out of memory` connecting to the database); the 512 MB now
    bound the run's resident memory alone."""
    project = SimpleNamespace(
        site="site.py", models_file="", seed="", database="postgresql",
        visible_tests={"test_threads.py": THREADED_TEST}, hidden_tests={},
        limits={"wall_seconds": 15, "memory_mb": 512, "output_kb": 1024},
    )  # fmt: skip
    limits = harness.sandbox_limits(project)
    assert limits.memory_bytes == 512 * sandbox.MiB
    files = harness.sandbox_input(project, {"site.py": THREADED_SITE}, visible_only=True)
    outcome = sandbox.run(files, [sys.executable, "runner.py"], limits=limits)
    assert outcome.status == "ok", outcome.output
    (test,) = json.loads(outcome.observation)["tests"]
    assert test["passed"], test["message"] + test["output"]
