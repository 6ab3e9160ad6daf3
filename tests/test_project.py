"""Project mode: the page and the API on the rules (drafts, submissions, refusals, another
learner's 404), and real submissions run in the sandbox: the reference passes every step,
hidden tests stay out of the learner's reach, and hostile learner code is contained."""

import json
import shutil

import pytest
from attempts_support import form, of, right
from conftest import BUNDLED_CONTENT, left_running

from codedrill.attempts.models import Badge, Challenge
from codedrill.content.loader import load_tree
from codedrill.content.models import Pattern, Project
from codedrill.content.publish import publish
from codedrill.progress.models import ModeProgress
from codedrill.projects import rules
from codedrill.projects.models import ProjectSubmission
from codedrill.sandbox import hostile

pytestmark = pytest.mark.usefixtures("published_for_module")
API = "/api/v1"
PROJECT = BUNDLED_CONTENT / "django" / "when-async-helps" / "project"
SOLUTION = {p.name: p.read_text() for p in (PROJECT / "solution").glob("*.py")}
HIDDEN_ONLY = "json.loads(run.requests[0].body)"  # a line of a hidden test's source


@pytest.fixture
def project(pattern):
    return Project.objects.get(pattern=pattern)


def csrf(client) -> dict:
    client.get(f"{API}/csrf")
    return {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def put_draft(client, files):
    return client.put(f"{API}/patterns/async-django/project/draft", {"files": files},
                      content_type="application/json", **csrf(client))  # fmt: skip


def submit(client, files, visible_only=False):
    return client.post(f"{API}/patterns/async-django/project/submissions",
                       {"files": files, "visible_only": visible_only},
                       content_type="application/json", **csrf(client))  # fmt: skip


def test_it_shows_steps_starter_and_visible_tests_but_no_hidden_source(client, project):
    data = client.get(f"{API}/patterns/async-django/project").json()
    assert [s["slug"] for s in data["steps"]] == ["middleware", "fan-out", "blocking"]
    assert data["draft"] == data["starter"] == project.starter
    assert data["limits"] == {"wall_seconds": 15, "memory_mb": 512, "output_kb": 1024}
    assert data["solution"] is None and data["network"] is False
    assert "test_the_panels_keep_their_order" in data["steps"][1]["hidden_tests"]
    page = client.get("/patterns/async-django/project/").text
    for text in (json.dumps(data), page):
        assert HIDDEN_ONLY not in text and "def test_the_panels_keep_their_order" not in text
    assert "data-editor" in page and "15 s of wall time, 512 MB of memory" in page


def test_a_draft_is_kept_and_a_file_resets_to_the_starter(client, learner, project):
    client.force_login(learner)
    assert put_draft(client, {"middleware.py": "# mine\n"}).status_code == 200
    data = client.get(f"{API}/patterns/async-django/project").json()
    assert data["draft"]["middleware.py"] == "# mine\n"
    assert data["draft"]["dashboard.py"] == project.starter["dashboard.py"]
    client.post("/patterns/async-django/project/", {"action": "reset:middleware.py"})
    assert rules.draft_files(learner, project) == project.starter


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"settings.py": "x = 1"}, "no file 'settings.py'"),
        ({"dashboard.py": "a\x00b"}, "NUL character"),
        ({"dashboard.py": "#" * 70_000}, "over 64 KB"),
        ({"dashboard.py": 7}, "not valid"),
        ([], "not valid"),
    ],
)
def test_bad_files_get_a_clear_400_and_nothing_is_stored(client, learner, project, files, message):
    client.force_login(learner)
    for response in (put_draft(client, files), submit(client, files)):
        assert response.status_code == 400, response.content
        assert message in response.json()["detail"] + json.dumps(response.json())
    assert not ProjectSubmission.objects.exists()
    page = client.post("/patterns/async-django/project/", {"action": "reset:nope.py"})
    assert page.status_code == 400 and "no file &#x27;nope.py&#x27;" in page.text


def test_another_learners_submission_is_404(client, learner, other_learner, project):
    mine = ProjectSubmission.objects.create(learner=learner, project=project, files={}, key="k")
    client.force_login(other_learner)
    for url in (f"{API}/project-submissions/{mine.pk}", f"/project/submissions/{mine.pk}/",
                f"/project/submissions/{mine.pk}/part"):  # fmt: skip
        assert client.get(url).status_code == 404
    client.force_login(learner)
    assert client.get(f"{API}/project-submissions/{mine.pk}").json()["status"] == "queued"


def test_a_repeated_submission_queues_one_run(learner, project, full_sandbox):
    files = {"dashboard.py": SOLUTION["dashboard.py"]}
    ids = {rules.submit(learner, project, files, True).pk for _ in range(3)}
    assert len(ids) == 1 and ProjectSubmission.objects.count() == 1


def test_the_reference_passes_every_step_and_an_identical_submission_reuses_it(
    client, learner, other_learner, project, full_sandbox
):
    client.force_login(learner)
    response = submit(client, SOLUTION)
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and body["queue_position"] == 1
    rules.perform(body["id"])  # what the worker does with the task
    done = client.get(f"{API}/project-submissions/{body['id']}").json()
    assert done["status"] == "done", done["reason"]
    assert [s["status"] for s in done["steps"]] == ["passed"] * 3
    assert all(s["explanation"] for s in done["steps"])
    hidden = [t for s in done["steps"] for t in s["tests"] if t["hidden"]]
    assert len(hidden) == 3 and all("source" not in t for t in hidden)
    assert done["seconds"] < 15
    assert ModeProgress.objects.get(learner=learner, mode="project").percent == 100
    assert client.get(f"{API}/patterns/async-django/project").json()["solution"] == SOLUTION
    page = client.get(f"/project/submissions/{body['id']}/").text
    assert page.count("passed</span>") == 3 and "Passed</strong>" in page
    # The same files from anyone: the stored results at once, no second run.
    client.force_login(other_learner)
    again = submit(client, SOLUTION)
    assert again.status_code == 200 and again.json()["reused"]
    assert ProjectSubmission.objects.filter(reused=False).count() == 1


def test_the_solution_shows_early_only_after_confirming(client, learner, project):
    client.force_login(learner)
    url = f"{API}/patterns/async-django/project/solution"
    refused = client.post(url, {"confirm": False}, content_type="application/json", **csrf(client))
    assert refused.status_code == 400 and "Confirm" in refused.json()["detail"]
    shown = client.post(url, {"confirm": True}, content_type="application/json", **csrf(client))
    assert shown.json()["solution"] == SOLUTION


def on_ping(code: str) -> str:
    """The reference dashboard whose /ping/ view first runs `code` (a function body), in the
    learner's server, after start-up: what it prints is in the tests' captured output."""
    body = "".join(f"    {line}\n" for line in code.splitlines())
    return (
        SOLUTION["dashboard.py"]
        + f"\n\ndef probe():\n{body}\n\n_ping = ping\n\n\nasync def ping(request):\n"
        "    probe()\n    return await _ping(request)\n\n\n"
        'urlpatterns[2] = path("ping/", ping)\n'
    )


SNOOP = """
import glob, os, stat, sys
found, looked = [], 0
paths = [os.path.join(d, n) for root in ("/box", "/tmp", "/dev/shm") for d, _, ns in os.walk(root)
         for n in ns]
paths += glob.glob("/proc/[0-9]*/fd/*") + glob.glob("/proc/[0-9]*/environ")
paths += glob.glob("/proc/[0-9]*/cmdline") + glob.glob("/proc/[0-9]*/mem")
for path in paths:
    try:
        if not (path.endswith("/mem") or stat.S_ISREG(os.stat(path).st_mode)):
            continue  # a pipe or a socket would block
        with open(path, "rb") as f:
            looked += 1
            if MARKER.encode() in f.read(1 << 20):
                found.append(path)
    except OSError:
        pass
print(f"SNOOP looked at {looked} files, found {found}", file=sys.stderr)
"""


def test_learner_code_cannot_reach_the_hidden_tests_or_escape(
    learner, project, full_sandbox, tmp_path
):
    """One submission (a sandbox run costs seconds) whose site hunts for the hidden tests'
    source in every file and process it can see, then runs the sandbox suite's probes that end
    normally, in every server the tests start; judged from the host by the same canaries."""
    marker = f"MARKER = {HIDDEN_ONLY[:10]!r} + {HIDDEN_ONLY[10:]!r}\n"  # not itself the marker
    probes = [p for p in hostile.PROBES if p.expect == "ok" and p.limits is None]
    with hostile.canaries() as found:
        secret_key = tmp_path / "secret_key"
        secret_key.write_text(found.token)
        prelude = hostile._PRELUDE.format(host=json.dumps(found.host_facts(secret_key)))
        runs = "".join(
            f"try:\n    exec({p.code!r})\nexcept BaseException as exc:\n"
            f"    print('probe {p.name}:', repr(exc), file=sys.stderr)\n"
            for p in probes
        )
        reporting = "def report(**facts):\n    print('PROBE', json.dumps(facts), file=sys.stderr)\n"
        dashboard = on_ping(marker + SNOOP + prelude + reporting + runs)
        submission = rules.submit(learner, project, {**SOLUTION, "dashboard.py": dashboard}, False)
        rules.perform(submission.pk)
        submission.refresh_from_db()
        assert submission.status == "done", submission.reason
        output = "\n".join(test["output"] for test in submission.tests)
        assert "SNOOP looked at" in output and "found []" in output
        assert "found [" + "'" not in output
        assert "PROBE" in output  # the probes ran
        outcome = hostile.Outcome("ok", output, output, 0.0, namespace=None)
        problems = {p.name: hostile.escapes(p, outcome, found) for p in probes}
    assert problems == {p.name: [] for p in probes}, problems


# The sandbox suite's probes that exceed a limit, as learner code: the site module runs the
# probe when a server imports it. The wall time is cut for these tests (the rules read it from
# the project): 4 s for the endless loop, which waits for it; 8 s for the others, which end
# sooner but need the servers to start. The flood keeps the project's own 15 s: every test's
# servers must start and fail in turn, and 8 s ran out under CI's parallel load. Servers
# spinning side by side may use up the run's CPU time (1.5 × its wall time) before its wall
# time ends, on an idle machine. A fork bomb of servers trips the memory limit first or the
# process limit, as their sizes and the machine's speed fall; either stops it. A flood fills
# the server's output file to the output limit, so the print fails there and the tests fail
# with it, a run that ends normally.
OVER_LIMITS = {
    "fork-bomb": ("Your code started too many processes.", "Your code used more than 512 MB"),
    "memory-across-processes": ("Your code used more than 512 MB of memory.",),
    "endless-loop": ("Your code ran past the 4 s limit.", "Your code used more CPU time than"),
    "output-flood": None,
}


@pytest.mark.parametrize("name", OVER_LIMITS)
def test_learner_code_over_a_limit_is_stopped_with_a_clear_reason(
    client, learner, project, full_sandbox, name
):
    (probe,) = [p for p in hostile.PROBES if p.name == name]
    if name != "output-flood":
        project.limits = {**project.limits, "wall_seconds": 4 if name == "endless-loop" else 8}
        project.save(update_fields=["limits"])
    code = f"import os, time\ndef report(**facts):\n    print(facts)\n{probe.code}\n"
    dashboard = code + SOLUTION["dashboard.py"]
    submission = rules.submit(learner, project, {**SOLUTION, "dashboard.py": dashboard}, False)
    rules.perform(submission.pk)
    submission.refresh_from_db()
    assert submission.namespace and left_running(namespace=submission.namespace) == []
    client.force_login(learner)
    page = client.get(f"/project/submissions/{submission.pk}/").text
    if OVER_LIMITS[name] is None:
        assert submission.status == "done", submission.reason
        assert submission.passed_steps == [] and all(not t["passed"] for t in submission.tests)
        assert "The server could not run your code" in page and "File too large" in page
        return
    assert submission.status == "failed", submission.tests
    assert submission.reason.startswith(OVER_LIMITS[name]), submission.reason
    assert submission.reason.split(".")[0] in page


def passed_by_worker(learner, project, slugs: list[str]) -> None:
    """A full submission that passed `slugs`, stored as a worker stores one, progress included."""
    ProjectSubmission.objects.create(learner=learner, project=project, files={}, key="k",
                                     status="done", passed_steps=slugs)  # fmt: skip
    rules.record_progress(learner, project)


def test_my_learning_shows_the_steps_passed(client, learner, project):
    client.force_login(learner)
    passed_by_worker(learner, project, ["middleware"])
    passed_by_worker(learner, project, ["middleware", "fan-out"])  # steps once passed add up
    me = client.get("/me/").text
    assert "2 of 3 steps passed" in me and "In progress, 67%" in me
    page = client.get("/patterns/async-django/project/").text
    assert "2 of 3 steps passed" in page


def win_the_challenge(client) -> None:
    client.post("/patterns/async-django/challenge/")
    challenge = Challenge.objects.latest("pk")
    for problem in challenge.problems.select_related("version").order_by("position"):
        client.get(f"/challenges/{challenge.pk}/{problem.position}/")
        version = of(problem.version)
        client.post(f"/challenges/{challenge.pk}/{problem.position}/answer",
                    form(version, right(version)))  # fmt: skip


@pytest.mark.parametrize("needs_project", [False, True])
def test_the_badge_needs_the_project_where_the_pattern_says_so(
    client, learner, project, needs_project
):
    Pattern.objects.filter(pk=project.pattern_id).update(badge_needs_project=needs_project)
    client.force_login(learner)
    win_the_challenge(client)
    assert Badge.objects.filter(learner=learner).exists() is not needs_project
    passed_by_worker(learner, project, ["middleware", "fan-out"])
    assert Badge.objects.filter(learner=learner).exists() is not needs_project
    passed_by_worker(learner, project, ["blocking"])  # the last step: the project is done
    assert Badge.objects.get(learner=learner).challenge.learner == learner


def test_the_pattern_says_so_in_its_yaml(example_copy):
    pattern_yaml = next(example_copy.glob("*/*/pattern.yaml"))
    pattern_yaml.write_text(pattern_yaml.read_text() + "badge_needs_project: true\n")
    patterns, errors = load_tree(example_copy)
    assert errors == [] and patterns[0].badge_needs_project
    shutil.rmtree(pattern_yaml.parent / "project")
    _patterns, errors = load_tree(example_copy)
    assert any("the badge needs a project" in str(error) for error in errors), errors


def test_a_submission_runs_on_the_projects_postgresql_and_its_steps_are_judged(
    learner, full_sandbox
):
    """The lost-updates project names `database: postgresql`:
    a learner's submission runs its concurrent purchases on a PostgreSQL cluster in the
    sandbox, where select_for_update and lost updates behave as in production."""
    publish(BUNDLED_CONTENT)
    project = Project.objects.get(pattern__slug="lost-updates")
    assert project.database == "postgresql"
    folder = BUNDLED_CONTENT / "django" / "lost-updates" / "project"
    solution = {p.name: p.read_text() for p in (folder / "solution").glob("*.py")}
    oversells = {**solution, "shop.py": (folder / "wrong/check-then-f/shop.py").read_text()}
    judged = {}
    for name, files in (("solution", solution), ("oversells", oversells)):
        submission = rules.submit(learner, project, files, False)
        rules.perform(submission.pk)  # what the worker does with the task
        submission.refresh_from_db()
        assert submission.status == "done", submission.reason
        judged[name] = submission
    steps = ["keep-every-sale", "never-oversell", "lock-in-one-order"]
    assert judged["solution"].passed_steps == steps, judged["solution"].tests
    assert judged["oversells"].passed_steps == ["keep-every-sale", "lock-in-one-order"]
    failed = {t["name"]: t["message"] for t in judged["oversells"].tests if not t["passed"]}
    assert "Six buyers asked for the last 3 kettles and were answered [200, 200, 200, 200, " \
        "200, 200]" in failed["test_three_kettles_go_to_three_buyers"]  # fmt: skip
