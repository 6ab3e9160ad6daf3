"""LTI rules without a platform: codedrill's signing keys (made once in the data folder,
published at /lti/jwks/, rotated without dropping the key platforms know), and which finished
attempts queue a grade for the LMS (tests/test_lti.py sends them to a real one)."""

import io

import pytest
from attempts_support import of, right, wrong
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from codedrill.attempts import rules
from codedrill.lti.models import Grade, Identity, Placement, Platform
from codedrill.progress.models import ModeProgress

pytestmark = pytest.mark.usefixtures("published_for_module")

AGS = {
    "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
    "lineitem": "https://lms.example/lineitems/1",
}


def kids(client) -> list[str]:
    answer = client.get("/lti/jwks/")
    assert answer.status_code == 200
    keys = answer.json()["keys"]
    assert all(k["kty"] == "RSA" and k["alg"] == "RS256" and "d" not in k for k in keys)
    return [k["kid"] for k in keys]


def test_it_makes_one_key_and_rotates_keeping_the_previous(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    [first] = kids(client)
    assert kids(client) == [first]  # made once, then kept
    [pem] = (tmp_path / "lti-keys").iterdir()
    assert pem.stat().st_mode & 0o777 == 0o600

    out = io.StringIO()
    call_command("lti_rotate_key", stdout=out)
    second = kids(client)
    assert second[0] == first and len(second) == 2
    assert second[1] in out.getvalue()

    call_command("lti_rotate_key", stdout=out)
    assert kids(client)[0] == second[1]  # the oldest is gone, the replaced one stays
    assert len(kids(client)) == 2


@pytest.fixture
def seats(learner, pattern):
    """The learner launched a graded Challenge item and an ungraded Practice item."""
    platform = Platform.objects.create(
        name="LMS", issuer="https://lms.example", client_id="c", auth_login_url="https://a.example",
        auth_token_url="https://t.example", key_set_url="https://k.example",
    )  # fmt: skip
    identity = Identity.objects.create(
        platform=platform, deployment_id="d", subject="s", learner=learner
    )
    placed = {"platform": platform, "deployment_id": "d", "context_id": "c", "pattern": pattern}
    challenge = Placement.objects.create(**placed, resource_link_id="1", mode="challenge", ags=AGS)
    practice = Placement.objects.create(**placed, resource_link_id="2", mode="practice", ags=AGS)
    return [Grade.objects.create(placement=p, identity=identity) for p in (challenge, practice)]


def test_a_finished_challenge_queues_its_result_once_and_then_only_a_better_one(
    learner, pattern, seats, django_capture_on_commit_callbacks
):
    def challenge(n_right: int) -> None:
        attempt = rules.start_challenge(learner, pattern)
        for problem in attempt.problems.select_related("version"):
            rules.show_problem(problem)
            question = of(problem.version)
            answers = [right(question)] if problem.position <= n_right else [wrong(question, 0)]
            if problem.position > n_right:  # out of attempts: two different wrong answers
                answers.append(wrong(question, 1))
            for raw in answers:
                with django_capture_on_commit_callbacks(execute=True):
                    rules.answer_problem(learner, attempt.pk, problem.position, raw)

    challenge(3)
    graded, practice = (Grade.objects.get(pk=seat.pk) for seat in seats)
    assert (graded.right, graded.total, graded.sent) == (3, 5, False)
    assert (practice.right, practice.total) == (None, None)  # Practice sends no grade
    assert DBTaskResult.objects.count() == 1
    challenge(2)
    assert Grade.objects.get(pk=graded.pk).right == 3
    assert DBTaskResult.objects.count() == 1
    challenge(5)
    assert Grade.objects.get(pk=graded.pk).right == 5
    assert DBTaskResult.objects.count() == 2

    exported = learner.export_data()  # the learner's own data includes their LMS rows
    assert exported["lti_identities"] == [
        {"platform": "https://lms.example", "deployment": "d", "subject": "s"}
    ]
    assert {(g["mode"], g["right"]) for g in exported["lti_grades"]} == {
        ("challenge", 5),
        ("practice", None),
    }


def test_a_project_sends_its_steps_passed_when_more_pass(
    learner, pattern, seats, django_capture_on_commit_callbacks
):
    project = Placement.objects.create(
        platform=seats[0].placement.platform, deployment_id="d", context_id="c", pattern=pattern,
        resource_link_id="3", mode="project", ags=AGS,
    )  # fmt: skip
    seat = Grade.objects.create(placement=project, identity=seats[0].identity)
    for passed in (1, 1, 3):  # what a project's full submissions report, in turn
        with django_capture_on_commit_callbacks(execute=True):
            ModeProgress.record_steps(learner, pattern, "project", passed, 3)
    seat.refresh_from_db()
    assert (seat.right, seat.total) == (3, 3)
    assert DBTaskResult.objects.count() == 2  # 1 of 3, then 3 of 3; the repeat sends nothing
