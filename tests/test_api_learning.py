"""The learning API: catalog, mode content without early keys, the practice check, JSON errors."""

import json

import pytest
from attempts_support import of, right, wrong
from django.test import Client

from codedrill.content.models import Pattern
from codedrill.content.modes import MODES
from codedrill.learning.models import QuestionProgress
from codedrill.quiz.answers import plain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("published_for_module")]

API = "/api/v1"


@pytest.fixture
def browser_client(pattern):
    """A client that must send CSRF like a browser's script: token from the cookie."""
    client = Client(enforce_csrf_checks=True)
    client.get("/api/v1/csrf")  # sets the csrftoken cookie
    return client


def post(client, url, body):
    token = client.cookies["csrftoken"].value
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data, content_type="application/json", headers={"X-CSRFToken": token})


def revealing_fields(data):
    """Fields that would reveal an answer, wherever they are in a JSON document."""
    if isinstance(data, dict):
        for name, value in data.items():
            if name in ("key", "solution", "mistakes", "hint") and value not in (None, ""):
                yield name
            yield from revealing_fields(value)
    elif isinstance(data, list):
        for item in data:
            yield from revealing_fields(item)


def test_the_catalog_lists_the_pattern_with_its_eleven_modes(client, pattern):
    listed = client.get(f"{API}/patterns").json()
    assert {p["slug"] for p in listed} == set(Pattern.objects.live().values_list("slug", flat=True))
    (item,) = [p for p in listed if p["slug"] == "async-django"]
    assert item["minutes"] == pattern.total_minutes
    assert [m["slug"] for m in item["modes"]][:3] == ["learn", "why", "visualize"]
    assert len(item["modes"]) == len(MODES) == 11  # the ten of the original site, and Project
    assert client.get(f"{API}/patterns/async-django").json()["title"] == pattern.title


def test_every_mode_answers_without_keys_solutions_or_hints(client, pattern):
    secrets = []
    for question in pattern.questions.all():
        version = question.current
        secrets += [version.hint, *version.solution, *(m["html"] for m in version.mistakes)]
    for trace in pattern.traces.all():
        secrets += [s for item in trace.data["quiz"] for s in item["solution"]]
    for mode in pattern.live_modes():
        response = client.get(f"{API}/patterns/async-django/modes/{mode}")
        assert response.status_code == 200, mode
        data = response.json()
        assert not list(revealing_fields(data)), mode
        text = plain(repr(data))
        for secret in secrets:
            assert " ".join(plain(secret).split())[:50] not in " ".join(text.split()), mode


def test_practice_questions_carry_option_ids_and_letters(client, pattern):
    data = client.get(f"{API}/patterns/async-django/modes/practice").json()
    assert len(data["questions"]) == 5
    first = data["questions"][0]
    assert first["options"][0]["id"] and first["options"][0]["letter"] == "A"
    assert first["hint"] is None and first["finished"] is False


def test_check_judges_a_practice_answer_and_returns_the_solution(browser_client, pattern):
    question = pattern.pool("practice")[0]
    version = question.current
    wrong = next(o["id"] for o in version.options if o["id"] != version.key)
    response = post(browser_client, f"{API}/questions/{question.uuid}/check", {"answer": wrong})
    assert response.status_code == 200
    body = response.json()
    solution = body["solution"]
    assert body["correct"] is False and solution["key"] == version.key
    assert solution["steps"] == version.solution and solution["quick_check"] == version.rule
    keyed = next(o for o in version.options if o["id"] == version.key)
    assert plain(keyed["html"]) in plain(solution["final_answer"])  # derived from the key
    right = post(browser_client, f"{API}/questions/{question.uuid}/check", {"answer": version.key})
    assert right.json()["correct"] is True
    # The mode now shows this learner the solution, as the page does.
    mode = browser_client.get(f"{API}/patterns/async-django/modes/practice").json()
    assert mode["questions"][0]["solution"]["key"] == version.key
    assert QuestionProgress.objects.get().tries == 2


def test_check_judges_every_practice_question_in_its_own_answer_shape(browser_client, pattern):
    for question in pattern.pool("practice"):
        url, version = f"{API}/questions/{question.uuid}/check", of(question.current)
        key = right(version)
        as_sent = list(reversed(key)) if version["kind"] == "multiple" else key  # any order
        answers = [wrong(version), as_sent]
        judged = [post(browser_client, url, {"answer": a}).json() for a in answers]
        assert [j["correct"] for j in judged] == [False, True], question.current.slug


def test_check_is_for_the_practice_pool_only(browser_client, pattern):
    challenge = pattern.pool("challenge")[0]
    response = post(browser_client, f"{API}/questions/{challenge.uuid}/check", {"answer": "x"})
    assert response.status_code == 404 and response.json()["detail"] == "Not found."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"answer": "no-such-option"}, "Choose one of the options"),
        ({"answer": ["a", "b"]}, "Choose one of the options"),
        ({"answer": None}, "The request body is not valid."),  # null is not an answer
        ({}, "The request body is not valid."),
        ("not json", "The request body is not valid JSON."),
    ],
)
def test_malformed_checks_are_400_with_a_message(browser_client, pattern, body, message):
    question = pattern.pool("practice")[0]
    response = post(browser_client, f"{API}/questions/{question.uuid}/check", body)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(message)
    assert not QuestionProgress.objects.exists()


def test_writes_without_csrf_are_refused_in_json(pattern):
    client = Client(enforce_csrf_checks=True)
    question = pattern.pool("practice")[0]
    response = client.post(
        f"{API}/questions/{question.uuid}/check", {"answer": "x"}, content_type="application/json"
    )
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_every_4xx_is_json_with_a_message(client, pattern):
    cases = [
        (client.get, f"{API}/patterns/nope", 404),
        (client.get, f"{API}/patterns/async-django/modes/nope", 404),
        (client.get, f"{API}/no/such/endpoint", 404),
        (client.delete, f"{API}/patterns", 405),
        (client.post, f"{API}/questions/not-a-uuid/check", 400),
    ]
    for method, url, status in cases:
        response = method(url, content_type="application/json")
        assert response.status_code == status, url
        assert response["Content-Type"].startswith("application/json") and response.json()["detail"]


def test_the_openapi_schema_lists_every_learning_path(client, pattern):
    schema = client.get(f"{API}/openapi.json").json()
    for path in [
        "/api/v1/patterns",
        "/api/v1/patterns/{slug}",
        "/api/v1/patterns/{slug}/modes/{mode}",
        "/api/v1/questions/{question_id}/check",
    ]:
        assert path in schema["paths"]
