"""Bad input gets a clear 4xx, the same on SQLite and PostgreSQL, and changes nothing."""

import io
import json

import pytest
from django.test import Client

from codedrill.accounts.models import User
from codedrill.attempts.models import TestQuestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("published_for_module")]

API = "/api/v1"
CARD = "00000000-0000-0000-0000-000000000001"
WRITES = [
    "/patterns/async-django/challenges",
    "/challenges/1/problems/1/answer",
    "/challenges/1/problems/1/hint",
    "/patterns/async-django/tests",
    "/tests/1/questions/1/answer",
    "/tests/1/finish",
    f"/questions/{CARD}/check",
    f"/review/cards/{CARD}/rate",
    f"/review/questions/{CARD}/rate",
]


@pytest.fixture
def visitor(pattern):
    """A new visitor's browser: a CSRF token, no session, no learner yet."""
    client = Client(enforce_csrf_checks=True)
    client.get(f"{API}/csrf")
    return client


def csrf(client) -> dict:
    return {"X-CSRFToken": client.cookies["csrftoken"].value}


@pytest.mark.parametrize("path", WRITES)
@pytest.mark.parametrize(
    "content_type,body",
    [
        (
            "multipart/form-data; boundary=BoUnDaRy",
            '--BoUnDaRy\r\nContent-Disposition: form-data; name="answer"\r\n\r\n'
            "x\r\n--BoUnDaRy--\r\n",
        ),
        ("application/x-www-form-urlencoded", "answer=x"),
        ("text/plain", '{"answer": "x"}'),
    ],
    ids=["multipart", "form", "text"],
)
def test_an_api_write_takes_only_json_and_makes_no_guest_otherwise(
    visitor, path, content_type, body
):
    response = visitor.post(API + path, body, content_type=content_type, headers=csrf(visitor))
    assert response.status_code == 415
    assert response.headers["Content-Type"].startswith("application/json")
    assert "application/json" in response.json()["detail"]
    assert not User.objects.exists()


@pytest.mark.parametrize("path", [p for p in WRITES if "answer" in p or "check" in p])
def test_a_refused_write_makes_no_guest(visitor, path):
    """Malformed JSON, or an attempt that is not the visitor's: refused before any learner."""
    for body in ["{not json", "[]", json.dumps({"answer": "x"})]:
        response = visitor.post(API + path, body, "application/json", headers=csrf(visitor))
        assert response.status_code in (400, 404)
    assert not User.objects.exists()


def test_a_visitors_first_good_write_still_makes_a_guest(visitor):
    url = f"{API}/patterns/async-django/tests"
    response = visitor.post(url, content_type="application/json", headers=csrf(visitor))
    assert response.status_code == 201
    assert User.objects.get().is_guest


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/patterns/a%00b",
        f"{API}/patterns/async-django/modes/le%00arn",
        f"{API}/review/queue?pattern=a%00b",
        "/patterns/a%00b/",
        "/patterns/async-django/visualize/?x=%00",
        "/admin/accounts/user/?q=a%00b",
    ],
)
def test_a_nul_byte_in_the_url_is_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith(API):
        assert "NUL" in response.json()["detail"]


def test_a_nul_byte_in_a_cookie_is_400(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get("/").status_code == 400


def test_a_nul_byte_in_a_short_answer_is_400_and_not_saved(client, pattern):
    pk = client.post(f"{API}/patterns/async-django/tests", content_type="application/json")
    short = next(q for q in pattern.pool("test") if q.current.kind == "short")
    question = TestQuestion.objects.filter(test_id=pk.json()["id"], position=1)
    question.update(version=short.current, order=[])
    url = f"{API}/tests/{pk.json()['id']}/questions/1/answer"
    response = client.post(url, {"answer": "a\u0000b"}, "application/json")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    assert question.get().answer is None
    page = client.post(f"/tests/{pk.json()['id']}/1/answer", {"answer": "a\u0000b"})
    assert page.status_code == 400
    assert question.get().answer is None


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, db, settings):
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    upload = io.BytesIO(big.encode())
    upload.name = "big.bin"
    response = client.post("/signup/", {"username": "grace", "avatar": upload})
    assert response.status_code == 413
    api = client.post(
        f"{API}/patterns/async-django/tests", json.dumps({"x": big}), "application/json"
    )
    assert api.status_code == 413 and "too large" in api.json()["detail"]
    assert not User.objects.exists()


def test_a_path_with_a_newline_is_a_json_404_in_the_api(client):
    response = client.post(f"{API}/tests/1%0A/finish")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No API endpoint")


def test_an_id_beyond_any_column_is_a_404(client, learner):
    client.force_login(learner)
    huge = 2**64  # a URL's id may have any number of digits
    start = client.post(f"{API}/patterns/async-django/challenges", content_type="application/json")
    mine = start.json()["id"]
    for path in [
        f"/challenges/{huge}",
        f"/challenges/{huge}/problems/1",
        f"/challenges/{mine}/problems/{huge}",
        f"/tests/{huge}",
    ]:
        assert client.get(f"{API}{path}").status_code == 404, path
    for path in [
        f"/challenges/{huge}/problems/1/answer",
        f"/challenges/{mine}/problems/{huge}/answer",
    ]:
        answer = client.post(f"{API}{path}", {"answer": "x"}, content_type="application/json")
        assert answer.status_code == 404, path
    assert client.get(f"/challenges/{huge}/1/").status_code == 404
    assert client.get(f"/challenges/{mine}/{huge}/").status_code == 404
