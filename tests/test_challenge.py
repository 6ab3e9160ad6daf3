"""Challenge: five problems against the server's clock, two attempts, a hint, a badge."""

import json
import time
from datetime import timedelta

import pytest
from attempts_support import (
    assert_nothing_early,
    form,
    of,
    right,
    secrets_of,
    wrong,
)
from django.db.models import F
from django.urls import reverse

from codedrill.accounts.models import User
from codedrill.attempts.models import Badge, Challenge, ChallengeProblem
from codedrill.attempts.rules import problem_status
from codedrill.content.questions import CATEGORIES

pytestmark = pytest.mark.usefixtures("published_for_module")

START = "/patterns/async-django/challenge/"
API = "/api/v1"


def start(client) -> Challenge:
    response = client.post(START)
    assert response.status_code == 302
    challenge = Challenge.objects.latest("pk")
    assert response["Location"] == f"/challenges/{challenge.pk}/1/"
    return challenge


def problem(challenge: Challenge, n: int) -> ChallengeProblem:
    return challenge.problems.select_related("version").get(position=n)


def answer(client, challenge: Challenge, n: int, *, correct: bool, k: int = 0):
    version = problem(challenge, n).version
    chosen = right(of(version)) if correct else wrong(of(version), k)
    return client.post(f"/challenges/{challenge.pk}/{n}/answer", form(of(version), chosen))


def expire(challenge: Challenge, n: int) -> None:
    """The clock runs out: the same as waiting until the stored deadline has passed."""
    late = timedelta(seconds=1000)
    challenge.problems.filter(position=n).update(
        shown_at=F("shown_at") - late, deadline=F("deadline") - late
    )


def test_each_challenge_asks_one_problem_per_category_in_a_fresh_order(client, pattern):
    orders = set()
    for _ in range(4):
        problems = list(start(client).problems.select_related("version"))
        assert sorted(p.version.category for p in problems) == sorted(CATEGORIES)
        for p in problems:
            assert sorted(p.order) == sorted(o["id"] for o in p.version.options)
            assert p.deadline is None  # no clock until a problem is shown
        orders.add(tuple((p.version_id, *p.order) for p in problems))
    assert len(orders) > 1


def test_a_new_challenge_asks_nothing_an_earlier_one_revealed_while_it_can(client, pattern):
    """Every problem of a challenge shows its solution once finished (or out of time), so the
    next challenges draw what this learner has not been given, as long as the pool lasts."""
    pool = {q.current.pk for q in pattern.pool("challenge")}
    assert len(pool) == 3 * len(CATEGORIES)
    drawn = [{p.version_id for p in start(client).problems.all()} for _ in range(3)]
    assert set.union(*drawn) == pool  # three challenges: fifteen different problems
    fourth = [p.version_id for p in start(client).problems.all()]
    assert len(set(fourth)) == len(CATEGORIES)


def test_the_intro_explains_the_rules_and_lists_past_attempts(client, pattern):
    html = client.get(START).content.decode()
    assert "2:00" in html and "Async Django Mastery" in html and "Not earned yet" in html
    start(client)
    html = client.get(START).content.decode()
    assert "Your challenges" in html and "In progress" in html


def test_a_problem_shows_its_labels_and_the_stored_clock_that_a_reload_keeps(client, pattern):
    challenge = start(client)
    html = client.get(f"/challenges/{challenge.pk}/2/").content.decode()
    shown = problem(challenge, 2)
    assert "Problem 2/5" in html
    assert shown.version.category.replace("-", " ").capitalize() in html
    assert shown.version.difficulty.capitalize() in html
    assert 'role="timer"' in html and 'data-remaining="120"' in html and ">2:00<" in html
    assert shown.deadline - shown.shown_at == timedelta(seconds=120)
    # Only the problem shown has a clock running.
    assert list(challenge.problems.exclude(deadline=None).values_list("position", flat=True)) == [2]
    ChallengeProblem.objects.filter(pk=shown.pk).update(
        shown_at=F("shown_at") - timedelta(seconds=30),
        deadline=F("deadline") - timedelta(seconds=30),
    )
    html = client.get(f"/challenges/{challenge.pk}/2/").content.decode()
    assert 'data-remaining="90"' in html
    assert problem(challenge, 2).deadline == shown.deadline - timedelta(seconds=30)


def test_a_wrong_first_answer_says_so_and_leaves_one_more(client, pattern):
    challenge = start(client)
    client.get(f"/challenges/{challenge.pk}/1/")
    response = answer(client, challenge, 1, correct=False)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Not correct. You have one more attempt." in html
    assert "Attempts used: <strong>1 of 2</strong>" in html and "Final answer" not in html
    assert 'data-key="next"' not in html  # → does not skip an open problem

    assert answer(client, challenge, 1, correct=False, k=1).status_code == 302
    html = client.get(f"/challenges/{challenge.pk}/1/").content.decode()
    assert "both attempts are used" in html and "Final answer" in html
    assert "data-remaining" not in html and 'data-key="next"' in html
    answer(client, challenge, 1, correct=True)
    html = client.get(f"/challenges/{challenge.pk}/1/").content.decode()
    assert "This problem is finished: it takes no more answers." in html
    assert len(problem(challenge, 1).answers) == 2


def test_a_right_answer_finishes_the_problem_with_its_solution(client, pattern):
    challenge = start(client)
    client.get(f"/challenges/{challenge.pk}/3/")
    answer(client, challenge, 3, correct=True)
    html = client.get(f"/challenges/{challenge.pk}/3/").content.decode()
    version = problem(challenge, 3).version
    assert "Correct." in html and "Final answer" in html
    assert all(step in html for step in version.solution)
    assert all(m["html"] in html for m in version.mistakes)


def test_an_answer_after_the_deadline_is_refused_and_uses_no_attempt(client, pattern):
    challenge = start(client)
    client.get(f"/challenges/{challenge.pk}/1/")
    expire(challenge, 1)
    response = answer(client, challenge, 1, correct=True)
    assert response["Location"] == f"/challenges/{challenge.pk}/1/"
    html = client.get(response["Location"]).content.decode()
    assert "Time is up for this problem: the answer was not counted." in html
    assert "Final answer" in html and "data-remaining" not in html
    assert problem(challenge, 1).answers == []


def test_the_clock_length_comes_from_challenge_seconds(client, pattern, settings):
    settings.CHALLENGE_SECONDS = 1
    challenge = start(client)
    assert 'data-remaining="1"' in client.get(f"/challenges/{challenge.pk}/1/").content.decode()
    time.sleep(1.1)
    answer(client, challenge, 1, correct=True)
    assert problem(challenge, 1).answers == []


def test_the_hint_appears_only_after_asking_and_shows_on_the_results(client, pattern):
    challenge = start(client)
    hint = problem(challenge, 1).version.hint
    assert hint not in client.get(f"/challenges/{challenge.pk}/1/").content.decode()
    response = client.post(f"/challenges/{challenge.pk}/1/hint")
    assert response["Location"] == f"/challenges/{challenge.pk}/1/#hint"
    assert hint in client.get(f"/challenges/{challenge.pk}/1/").content.decode()
    assert problem(challenge, 1).hint_at is not None
    results = client.get(f"/challenges/{challenge.pk}/results/").content.decode()
    assert results.count("Asked") == 1


def test_a_malformed_answer_gets_a_clear_error_and_uses_nothing(client, pattern):
    challenge = start(client)
    client.get(f"/challenges/{challenge.pk}/1/")
    response = client.post(f"/challenges/{challenge.pk}/1/answer", {"answer": "no-such-option"})
    html = client.get(response["Location"]).content.decode()
    assert 'class="message error"' in html and "Attempts used: <strong>0 of 2</strong>" in html
    assert problem(challenge, 1).answers == []
    response = client.post(
        f"{API}/challenges/{challenge.pk}/problems/1/answer", {}, "application/json"
    )
    assert response.status_code == 400
    assert problem(challenge, 1).answers == []


def test_all_five_right_earns_the_badge_once(client, pattern):
    first = start(client)
    for n in range(1, 6):
        client.get(f"/challenges/{first.pk}/{n}/")
        answer(client, first, n, correct=n != 3)
    client.get(f"/challenges/{first.pk}/3/")
    answer(client, first, 3, correct=True)  # right on the second attempt still counts
    results = client.get(f"/challenges/{first.pk}/results/").content.decode()
    assert "5 of 5 right" in results and "You earned the badge" in results
    earned = Badge.objects.get()

    second = start(client)
    for n in range(1, 6):
        client.get(f"/challenges/{second.pk}/{n}/")
        answer(client, second, n, correct=True)
    assert Badge.objects.get() == earned and Badge.objects.get().earned_at == earned.earned_at
    badges = client.get("/badges/").content.decode()
    assert "Async Django Mastery" in badges and earned.earned_at.strftime("%-d %B %Y") in badges
    assert "Badge earned" in client.get(START).content.decode()
    pattern_page = client.get("/patterns/async-django/").content.decode()
    assert "Earned on" in pattern_page and 'aria-label="Challenge completion">100%' in pattern_page


def test_four_right_and_one_out_of_time_earns_no_badge(client, pattern):
    challenge = start(client)
    for n in range(1, 6):
        client.get(f"/challenges/{challenge.pk}/{n}/")
    expire(challenge, 5)
    for n in range(1, 6):
        answer(client, challenge, n, correct=True)
    html = client.get(f"/challenges/{challenge.pk}/results/").content.decode()
    assert "4 of 5 right" in html and "out of time" in html and "2:00" in html
    assert not Badge.objects.exists()


def test_another_learners_challenge_is_not_found(client, pattern, other_learner):
    challenge = start(client)
    client.force_login(other_learner)
    pages = ["/1/", "/results/"]
    for page in pages:
        assert client.get(f"/challenges/{challenge.pk}{page}").status_code == 404
    assert client.post(f"/challenges/{challenge.pk}/1/answer", {"answer": "x"}).status_code == 404
    assert client.post(f"/challenges/{challenge.pk}/1/hint").status_code == 404
    for url in [f"/challenges/{challenge.pk}", f"/challenges/{challenge.pk}/problems/1"]:
        assert client.get(API + url).status_code == 404
    response = client.post(
        f"{API}/challenges/{challenge.pk}/problems/1/answer", {"answer": "x"}, "application/json"
    )
    assert response.status_code == 404
    client.logout()
    assert client.get(f"{API}/challenges/{challenge.pk}").status_code == 404
    assert client.get(f"/challenges/{challenge.pk}/1/").status_code == 404
    assert problem(challenge, 1).deadline is None


def test_the_api_runs_a_whole_challenge(client, pattern):
    response = client.post(
        f"{API}/patterns/async-django/challenges", content_type="application/json"
    )
    assert response.status_code == 201
    data = response.json()
    pk = data["id"]
    assert data["finished"] is False and data["score"] == 0 and len(data["problems"]) == 5

    shown = client.get(f"{API}/challenges/{pk}/problems/1").json()
    assert shown["attempts_left"] == 2 and shown["solution"] is None and shown["hint"] is None
    assert shown["deadline"] and shown["category"] and shown["difficulty"] and shown["stem"]
    assert {o["id"] for o in shown["options"]} == {o["id"] for o in problem_of(pk, 1).options}
    assert '"key"' not in json.dumps(shown)  # no field named key; a stem may say "key"

    url = f"{API}/challenges/{pk}/problems/1"
    version = problem_of(pk, 1)
    bad = client.post(f"{url}/answer", {"answer": ["not", "one"]}, "application/json")
    assert bad.status_code == 400 and bad.json()["detail"]
    assert client.post(f"{url}/answer", {}, "application/json").status_code == 400
    judged = client.post(f"{url}/answer", {"answer": wrong(of(version))}, "application/json")
    assert judged.json() == {
        "correct": False,
        "attempts_used": 1,
        "attempts_left": 1,
        "finished": False,
        "outcome": "",
        "deadline": shown["deadline"],
        "solution": None,
    }
    assert client.post(f"{url}/hint", content_type="application/json").json() == {
        "hint": version.hint
    }
    judged = client.post(f"{url}/answer", {"answer": right(of(version))}, "application/json")
    data = judged.json()
    assert data["correct"] is True and data["finished"] is True and data["outcome"] == "right"
    assert data["solution"]["key"] == version.key and data["solution"]["steps"]
    again = client.post(f"{url}/answer", {"answer": wrong(of(version))}, "application/json")
    assert again.json()["correct"] is False and again.json()["attempts_used"] == 2  # as recorded
    other = client.post(f"{url}/answer", {"answer": wrong(of(version), 1)}, "application/json")
    assert other.status_code == 409 and "finished" in other.json()["detail"]

    assert client.get(f"{API}/challenges/{pk}/problems/6").status_code == 404
    client.get(f"{API}/challenges/{pk}/problems/2")
    expire(Challenge.objects.get(pk=pk), 2)
    late = client.post(
        f"{API}/challenges/{pk}/problems/2/answer",
        {"answer": right(of(problem_of(pk, 2)))},
        "application/json",
    )
    assert late.status_code == 409 and "Time is up" in late.json()["detail"]
    summary = client.get(f"{API}/challenges/{pk}").json()
    assert summary["score"] == 1
    assert [
        (p["outcome"], p["attempts_used"], p["hint_asked"]) for p in summary["problems"][:2]
    ] == [
        ("right", 2, True),
        ("out of time", 0, False),
    ]


def problem_of(pk: int, n: int):
    return ChallengeProblem.objects.get(challenge_id=pk, position=n).version


def test_api_writes_need_the_csrf_token(pattern, learner):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    response = browser.post(
        f"{API}/patterns/async-django/challenges", content_type="application/json"
    )
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not Challenge.objects.exists()


def test_an_answer_to_a_problem_never_shown_is_refused(client, pattern):
    pk = client.post(
        f"{API}/patterns/async-django/challenges", content_type="application/json"
    ).json()["id"]
    version = problem_of(pk, 4)
    url = f"{API}/challenges/{pk}/problems/4"
    response = client.post(f"{url}/answer", {"answer": right(of(version))}, "application/json")
    assert response.status_code == 409 and "Open the problem first" in response.json()["detail"]
    assert client.post(f"{url}/hint", content_type="application/json").status_code == 409


def test_logging_in_moves_a_guests_challenges_and_badge(client, pattern, learner):
    challenge = start(client)
    for n in range(1, 6):
        client.get(f"/challenges/{challenge.pk}/{n}/")
        answer(client, challenge, n, correct=True)
    client.post("/login/", {"username": "ada", "password": "correct-horse-9"})
    assert Challenge.objects.get().learner == learner
    assert Badge.objects.get().learner == learner
    assert not User.objects.filter(is_guest=True).exists()


def test_merging_keeps_the_earlier_badge(pattern, learner):
    guest = User.create_guest()
    later = Badge.objects.create(learner=learner, pattern=pattern)
    Badge.objects.create(
        learner=guest, pattern=pattern, earned_at=later.earned_at - timedelta(days=3)
    )
    learner.merge_guest(guest)
    assert Badge.objects.get().earned_at == later.earned_at - timedelta(days=3)


def test_the_export_holds_my_challenges_and_badges(client, pattern, learner):
    client.force_login(learner)
    challenge = start(client)
    client.get(f"/challenges/{challenge.pk}/1/")
    answer(client, challenge, 1, correct=False)
    Badge.objects.create(learner=learner, pattern=pattern)
    data = json.loads(client.get("/account/export.json").content)
    exported = data["challenges"][0]
    assert exported["pattern"] == "async-django" and exported["finished"] is False
    first = exported["problems"][0]
    assert first["answers"] == problem(challenge, 1).answers and first["deadline"]
    assert data["badges"][0]["badge"] == "Async Django Mastery"


def test_operators_see_attempts_and_badges_read_only(admin_client, client, pattern):
    challenge = start(client)
    for name in ("challenge", "testattempt", "badge"):
        assert admin_client.get(reverse(f"admin:attempts_{name}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:attempts_{name}_add")).status_code == 403
    page = admin_client.get(reverse("admin:attempts_challenge_change", args=[challenge.pk]))
    assert page.status_code == 200


def test_nothing_of_the_key_reaches_a_page_or_the_api_before_a_problem_is_finished(client, pattern):
    client.get(START)
    pk = client.post(
        f"{API}/patterns/async-django/challenges", content_type="application/json"
    ).json()["id"]
    challenge = Challenge.objects.get(pk=pk)
    versions = {n: problem(challenge, n).version for n in range(1, 6)}
    responses = [client.get(START), client.get(f"{API}/challenges/{pk}")]
    api_answer = f"{API}/challenges/{pk}/problems/4/answer"
    responses.append(
        client.post(api_answer, {"answer": right(of(versions[4]))}, "application/json")
    )
    for n in range(1, 6):
        responses += [
            client.get(f"/challenges/{pk}/{n}/"),
            client.get(f"{API}/challenges/{pk}/problems/{n}"),
        ]
        responses.append(answer(client, challenge, n, correct=False))  # one attempt left
        responses.append(client.get(f"/challenges/{pk}/{n}/"))
        responses.append(client.post(f"/challenges/{pk}/{n}/answer", {"answer": "nonsense"}))
        api_answer = f"{API}/challenges/{pk}/problems/{n}/answer"
        responses.append(
            client.post(api_answer, {"answer": wrong(of(versions[n]))}, "application/json")
        )
        responses.append(client.post(api_answer, {"answer": {"x": 1}}, "application/json"))
    hint_from = len(responses)  # problem 2's hint may show from its request on
    responses.append(
        client.post(f"{API}/challenges/{pk}/problems/2/hint", content_type="application/json")
    )
    assert responses[-1].json() == {"hint": versions[2].hint}
    responses += [
        client.get(f"/challenges/{pk}/2/"),
        client.get(f"{API}/challenges/{pk}/problems/2"),
        client.get(f"/challenges/{pk}/results/"),
        client.get(f"{API}/challenges/{pk}"),
        client.get(f"/challenges/{pk}/6/"),
        client.get(f"{API}/challenges/{pk}/problems/0"),
        client.get("/badges/"),
    ]
    assert {r.status_code for r in responses} == {200, 302, 400, 404, 409}
    for i, response in enumerate(responses):
        secrets = [
            secret
            for n, v in versions.items()
            for secret in secrets_of(v, with_hint=n != 2 or i < hint_from)
        ]
        assert_nothing_early(response, secrets)
    assert versions[2].hint in responses[hint_from + 1].content.decode()
    assert not any(problem_status(problem(challenge, n)).finished for n in range(1, 6))
