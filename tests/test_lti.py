"""codedrill as an LTI 1.3 tool, end to end against a third party's platform (lti1p3platform,
tests/lti_platform.py) on loopback: a teacher places a Test by Deep Linking, a learner
launches it, and the LMS's gradebook receives the score once, then only a better one; forged
and replayed launches are refused with a page that says why."""

import base64
import io
import json
import re

import httpx
import pytest
from attempts_support import of, right, wrong
from django.core.management import call_command
from lti_platform import CLIENT_ID, DEPLOYMENT_ID, serve

from codedrill.attempts import rules
from codedrill.lti.models import Grade, Identity, Placement

pytestmark = pytest.mark.django_db(transaction=True)

TEST_ITEM = {"resource_link": "link-1", "custom": {"pattern": "async-django", "mode": "test"}}


@pytest.fixture
def tool(live_server, pattern, settings, tmp_path) -> str:
    settings.DATA_DIR = tmp_path  # the tool's signing keys
    return live_server.url


@pytest.fixture
def lms(tool):
    with serve(tool) as lms:
        call_command(
            "lti_register",
            "--name", "Test LMS", "--issuer", lms.url, "--client-id", CLIENT_ID,
            "--deployment-id", DEPLOYMENT_ID, "--auth-login-url", f"{lms.url}/auth",
            "--auth-token-url", f"{lms.url}/token", "--key-set-url", f"{lms.url}/jwks",
            stdout=io.StringIO(),
        )  # fmt: skip
        yield lms


@pytest.fixture
def visitor():
    with httpx.Client(timeout=30) as client:
        yield client


def signed_launch(visitor, lms, user: str, hint: str, **launch) -> dict:
    """The OIDC login at the tool and the platform's answer: the form a course page posts."""
    login = visitor.get(lms.login_url(user, hint, **launch))
    assert login.status_code == 302, login.text
    assert login.headers["location"].startswith(f"{lms.url}/auth?")
    return visitor.get(login.headers["location"]).json()


def post_launch(visitor, form: dict) -> httpx.Response:
    return visitor.post(form["launch_url"], data={k: form[k] for k in ("id_token", "state")})


def launch(visitor, lms, user: str, hint: str, **launch) -> httpx.Response:
    return post_launch(visitor, signed_launch(visitor, lms, user, hint, **launch))


def finish_test(learner, pattern, n_right: int) -> int:
    """A whole Test through its rules, the first `n_right` questions right."""
    test = rules.start_test(learner, pattern)
    for q in test.questions.select_related("version"):
        answer = right(of(q.version)) if q.position <= n_right else wrong(of(q.version))
        rules.answer_test_question(q, answer)
    return rules.finish_test(test).score


def send_queued_grades() -> None:
    """What `codedrill serve`'s workers do with the grade tasks."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def place_by_deep_linking(lms, tool) -> dict:
    """A teacher adds codedrill's Test to the course; returns the item the LMS received."""
    with httpx.Client(timeout=30) as visitor:
        return _place(visitor, lms, tool)


def _place(visitor, lms, tool) -> dict:
    picker = launch(visitor, lms, "teacher-1", "dl", deep_link=True)
    assert picker.status_code == 200
    assert "Add a codedrill item to your course" in picker.text
    # The LMS may show it in its dialog, and only the LMS.
    assert picker.headers["content-security-policy"].endswith(f"frame-ancestors {lms.url}")
    assert "x-frame-options" not in picker.headers
    launch_id = re.search(r'name="launch" value="([^"]+)"', picker.text).group(1)
    picked = {"launch": launch_id, "pattern": "async-django", "mode": "test"}
    answer = visitor.post(f"{tool}/lti/deep-link/", data=picked)
    assert answer.status_code == 200
    assert f'action="{lms.url}/deep-link-return"' in answer.text
    assert f"form-action 'self' {lms.url};" in answer.headers["content-security-policy"]
    forged = visitor.post(f"{tool}/lti/deep-link/", data={**picked, "launch": "guessed"})
    assert forged.status_code == 400
    signed = re.search(r'name="JWT" value="([^"]+)"', answer.text).group(1)

    # The platform verifies the response with the keys codedrill publishes at /lti/jwks/.
    assert visitor.post(f"{lms.url}/deep-link-return", data={"JWT": signed}).status_code == 200
    [item] = lms.deep_link_items
    assert item["url"] == f"{tool}/lti/launch/"
    assert item["custom"] == {"pattern": "async-django", "mode": "test"}
    assert item["lineItem"]["scoreMaximum"] == 100
    assert item["window"] == {"targetName": "codedrill"}  # not framed: see views._NewWindowItem
    return item


def test_a_placed_test_s_score_reaches_the_gradebook_once_then_only_when_better(
    visitor, lms, tool, pattern
):
    item = place_by_deep_linking(lms, tool)
    placed = {"resource_link": "link-test", "custom": item["custom"]}
    opened = launch(visitor, lms, "learner-1", "item", **placed)
    assert opened.status_code == 302
    assert opened.headers["location"] == "/patterns/async-django/test/"
    assert "Test" in visitor.get(tool + opened.headers["location"]).text  # signed in
    identity = Identity.objects.select_related("learner").get(subject="learner-1")
    assert identity.deployment_id == DEPLOYMENT_ID
    assert identity.learner.get_full_name() == "Learner-1 Example"

    first = finish_test(identity.learner, pattern, 6)
    send_queued_grades()
    [score] = lms.scores
    assert score["lineitem"] == "link-test"
    assert score["userId"] == "learner-1"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (first, 10)
    assert score["activityProgress"] == "Completed"

    finish_test(identity.learner, pattern, 2)  # worse: the gradebook keeps the better one
    send_queued_grades()
    assert len(lms.scores) == 1

    lms.down = True  # an outage: the learner's Test still finishes, the grade waits
    better = finish_test(identity.learner, pattern, 9)
    send_queued_grades()
    assert len(lms.scores) == 1
    grade = Grade.objects.get()
    assert (grade.right, grade.sent) == (better, False)
    assert "503" in grade.error

    lms.down = False
    said = io.StringIO()
    call_command("lti_sendgrades", stdout=said)
    assert said.getvalue().strip() == "Sent 1 of 1 unsent result(s)."
    assert [s["scoreGiven"] for s in lms.scores] == [first, better]
    assert Grade.objects.get().sent

    # The course's teacher opens the item: the course's results, not the Test.
    with httpx.Client(timeout=30) as teacher:
        opened = launch(teacher, lms, "teacher-1", "item-teacher", **placed)
        placement = Placement.objects.get()
        assert opened.headers["location"] == f"/lti/courses/{placement.pk}/results/"
        page = teacher.get(tool + opened.headers["location"])
    assert "Results in Async Django 101" in page.text
    assert f"{better}/10" in page.text
    assert "Learner-1 Example" in page.text
    # A learner of the course is not shown its results.
    assert visitor.get(tool + opened.headers["location"]).status_code == 404


def _tampered(id_token: str, **claims) -> str:
    """The id_token with its claims changed and its signature kept: a forgery."""
    header, body, signature = id_token.split(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps({**data, **claims}).encode()).rstrip(b"=")
    return ".".join([header, forged.decode(), signature])


ATTACKS = [
    ("bad signature", "Signature verification failed"),
    ("wrong audience", "Registration not found"),
    ("reused nonce", "Invalid Nonce"),
    ("expired", "Signature has expired"),
]


def test_forged_and_replayed_launches_are_refused(visitor, lms, tool, pattern):
    # One test for all (publishing the content for each would cost more than the attacks).
    for attack, reason in ATTACKS:
        claims = {"claims": {"aud": "another-tool"}} if attack == "wrong audience" else {}
        expires = {"expires_in": -120} if attack == "expired" else {}
        form = signed_launch(visitor, lms, "learner-1", attack, **TEST_ITEM, **claims, **expires)
        if attack == "bad signature":
            form["id_token"] = _tampered(form["id_token"], sub="teacher-1")
        if attack == "reused nonce":
            assert post_launch(visitor, form).status_code == 302
            Identity.objects.all().delete()

        refused = post_launch(visitor, form)
        assert refused.status_code == 400, attack
        assert "This LTI launch was refused" in refused.text
        assert reason in refused.text, attack
        assert not Identity.objects.exists()

    refused = visitor.post(f"{tool}/lti/launch/", data={"id_token": "x.y.z", "state": "s"})
    assert refused.status_code == 400
    assert "State not found" in refused.text
    assert visitor.get(f"{tool}/lti/login/?iss=https://nobody.example").status_code == 400
    assert visitor.get(f"{tool}/lti/launch/").status_code == 405
    assert visitor.post(f"{tool}/lti/deep-link/").status_code == 400
    assert visitor.get(f"{tool}/lti/courses/999/results/").status_code == 404
