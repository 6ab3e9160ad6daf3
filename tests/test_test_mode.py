"""Test: ten questions by difficulty, answers changeable until the finish, feedback deferred."""

import json
from collections import Counter

import pytest
from attempts_support import (
    assert_nothing_early,
    form,
    of,
    right,
    secrets_of,
    wrong,
)

from codedrill.attempts import models, rules
from codedrill.content.models import Pattern
from codedrill.progress.models import ConceptProgress, ModeProgress
from codedrill.quiz.answers import parse
from codedrill.review.queue import due

pytestmark = pytest.mark.usefixtures("published_for_module")

START = "/patterns/async-django/test/"
API = "/api/v1"


def queued(test) -> list[int]:
    """The questions in the test's learner's review queue, by pk."""
    return sorted(item.question_id for item in due(test.learner))


def start(client) -> models.TestAttempt:
    response = client.post(START)
    test = models.TestAttempt.objects.latest("pk")
    assert response["Location"] == f"/tests/{test.pk}/1/"
    return test


def version(test, n: int):
    return test.questions.get(position=n).version


def answer_all(client, test, right_ones: set[int]) -> None:
    for n in range(1, 11):
        v = version(test, n)
        chosen = right(of(v)) if n in right_ones else wrong(of(v))
        assert client.post(f"/tests/{test.pk}/{n}/answer", form(of(v), chosen)).status_code == 302


def test_the_next_test_asks_nothing_the_last_one_revealed(client, pattern):
    """A finished test shows every solution, so the next one draws only unseen questions."""
    first = {q.version_id for q in start(client).questions.all()}
    second = {q.version_id for q in start(client).questions.all()}
    assert len(first) == len(second) == 10 and not first & second


def test_it_draws_three_easy_four_medium_three_hard_with_shuffled_options(client, pattern):
    test_pool = {q.current.pk for q in pattern.pool("test")}
    draws = []
    for _ in range(3):
        questions = list(start(client).questions.select_related("version"))
        assert Counter(q.version.difficulty for q in questions) == {
            "easy": 3,
            "medium": 4,
            "hard": 3,
        }
        assert {q.version_id for q in questions} <= test_pool and len(questions) == 10
        assert all(sorted(q.order) == sorted(o["id"] for o in q.version.options) for q in questions)
        draws.append([(q.version_id, *q.order) for q in questions])
    assert draws[0] != draws[1] or draws[1] != draws[2]


def test_answers_are_saved_changeable_and_judged_only_at_the_finish(client, pattern):
    test = start(client)
    page = client.get(f"/tests/{test.pk}/1/").content.decode()
    assert "Question 1/10" in page and 'data-key="next" rel="next"' in page
    assert 'data-key="prev"' not in page and "data-remaining" not in page
    v = version(test, 1)
    response = client.post(f"/tests/{test.pk}/1/answer", form(of(v), wrong(of(v))))
    assert response["Location"] == f"/tests/{test.pk}/2/"
    page = client.get(f"/tests/{test.pk}/2/").content.decode()
    assert "Answer to question 1 saved." in page and 'data-key="prev" rel="prev"' in page
    page = client.get(f"/tests/{test.pk}/1/").content.decode()
    assert "Answered" in page and "Correct" not in page and "Final answer" not in page
    client.post(f"/tests/{test.pk}/1/answer", form(of(v), right(of(v))))
    assert test.questions.get(position=1).answer == parse(v, right(of(v)))
    last = version(test, 10)
    response = client.post(f"/tests/{test.pk}/10/answer", form(of(last), right(of(last))))
    assert response["Location"] == f"/tests/{test.pk}/results/"
    overview = client.get(response["Location"]).content.decode()
    assert "Finish the test" in overview and overview.count("not answered") == 8


def test_finishing_scores_explains_and_queues_the_missed_questions(client, pattern):
    test = start(client)
    answer_all(client, test, right_ones={1, 2, 3, 4, 5, 6})
    assert client.post(f"/tests/{test.pk}/finish").status_code == 302
    html = client.get(f"/tests/{test.pk}/results/").content.decode()
    assert "6/10 — Developing" in html and 'role="status"' in html
    # Each answer beside the key, the solutions collapsed.
    assert html.count('<details class="solution">') == 10 and html.count("Final answer") == 10
    assert html.count("<dt>Your answer</dt>") == 10 and html.count("<dt>Key</dt>") == 10
    missed_versions = [version(test, n) for n in range(7, 11)]
    assert queued(test) == sorted(v.question_id for v in missed_versions)
    weak = {c for v in missed_versions for c in v.concepts}
    for concept in pattern.concepts:
        if concept["slug"] in weak:
            assert concept["title"] in html
    assert 'href="/patterns/async-django/learn/">Learn</a>' in html
    assert 'href="/patterns/async-django/deep-dive/">Deep dive</a>' in html

    assert client.post(f"/tests/{test.pk}/finish").status_code == 302  # again: nothing new
    assert len(queued(test)) == 4 and models.TestAttempt.objects.get().score == 6
    v = version(test, 7)
    late = client.post(f"/tests/{test.pk}/7/answer", form(of(v), right(of(v))))
    assert late.status_code == 409 and "finished" in late.content.decode()
    page = client.get(f"/tests/{test.pk}/7/").content.decode()
    assert "Not correct." in page and "Final answer" in page
    assert "6/10" in client.get(START).content.decode()
    pattern_page = client.get("/patterns/async-django/").content.decode()
    assert "Your best result: <strong>6/10</strong>" in pattern_page
    assert 'aria-label="Test completion">100%' in pattern_page and "Best: 6/10" in pattern_page


def test_unanswered_questions_count_as_missed(client, pattern):
    test = start(client)
    client.post(f"/tests/{test.pk}/finish")
    html = client.get(f"/tests/{test.pk}/results/").content.decode()
    assert "0/10 — Needs work" in html and html.count("not answered") == 10
    assert len(queued(test)) == 10


@pytest.mark.parametrize(
    ("score", "total", "verdict"),
    [
        (10, 10, "strong"),
        (8, 10, "strong"),
        (7, 10, "developing"),
        (5, 10, "developing"),
        (4, 10, "needs work"),
        (0, 10, "needs work"),
        # A shorter test, in proportion: 75 % is short of strong, 45 % of developing.
        (3, 4, "developing"),
        (5, 11, "needs work"),
    ],
)
def test_the_verdict_follows_the_score(score, total, verdict):
    assert rules.verdict(score, total) == verdict


def test_a_test_under_way_shows_the_share_answered_below_100(pattern, learner):
    test = rules.start_test(learner, pattern)
    questions = list(test.questions.select_related("version"))
    assert len(questions) == 10 and all(q.answered_at is None for q in questions)

    def share() -> int:
        return ModeProgress.objects.get(learner=learner, pattern=pattern, mode="test").percent

    first = questions[0]
    rules.answer_test_question(first, wrong(of(first.version)))
    rules.answer_test_question(first, right(of(first.version)))  # changed: still one answered
    assert share() == 10
    for q in questions[1:3]:
        rules.answer_test_question(q, right(of(q.version)))
    assert share() == 30
    for q in questions[3:]:
        rules.answer_test_question(q, right(of(q.version)))
    assert share() == 99  # every question answered, the test not finished
    assert all(q.answered_at is not None for q in test.questions.all())
    rules.finish_test(test)
    assert share() == 100
    with pytest.raises(rules.Refused) as refused:
        rules.answer_test_question(first, wrong(of(first.version)))
    assert str(refused.value) == "This test is finished: its answers can no longer change."


def test_past_tests_are_the_learners_own_in_this_pattern(pattern, learner, other_learner):
    finished = rules.finish_test(rules.start_test(learner, pattern))  # nothing answered: 0/10
    under_way = rules.start_test(learner, pattern)
    rules.start_test(other_learner, pattern)
    other_pattern = Pattern.objects.exclude(pk=pattern.pk).first()
    models.TestAttempt.objects.create(learner=learner, pattern=other_pattern)
    summaries = {(s.test.pk, s.total, s.verdict) for s in rules.past_tests(learner, pattern)}
    assert summaries == {(finished.pk, 10, "needs work"), (under_way.pk, 10, "")}


def test_a_malformed_answer_gets_a_clear_error_and_saves_nothing(client, pattern):
    test = start(client)
    response = client.post(f"/tests/{test.pk}/1/answer", {})
    assert response.status_code == 400 and 'class="verdict bad"' in response.content.decode()
    assert test.questions.get(position=1).answer is None


def test_another_learners_test_is_not_found(client, pattern, other_learner):
    test = start(client)
    client.force_login(other_learner)
    for url in [f"/tests/{test.pk}/1/", f"/tests/{test.pk}/results/"]:
        assert client.get(url).status_code == 404
    assert client.post(f"/tests/{test.pk}/finish").status_code == 404
    assert client.post(f"/tests/{test.pk}/1/answer", {"answer": "x"}).status_code == 404
    for url in [f"/tests/{test.pk}", f"/tests/{test.pk}/questions/1", f"/tests/{test.pk}/result"]:
        assert client.get(API + url).status_code == 404
    assert (
        client.post(f"{API}/tests/{test.pk}/finish", content_type="application/json").status_code
        == 404
    )
    assert models.TestAttempt.objects.get().finished_at is None


def test_the_api_runs_a_whole_test(client, pattern):
    response = client.post(f"{API}/patterns/async-django/tests", content_type="application/json")
    assert response.status_code == 201
    pk = response.json()["id"]
    test = models.TestAttempt.objects.get(pk=pk)
    first = client.get(f"{API}/tests/{pk}/questions/1").json()
    assert first["answer"] is None and first["solution"] is None and first["correct"] is None
    assert '"key"' not in json.dumps(first)  # no field named key; a stem may say "key"
    for n in range(1, 11):
        v = version(test, n)
        chosen = right(of(v)) if n <= 8 else wrong(of(v))
        url = f"{API}/tests/{pk}/questions/{n}/answer"
        saved = client.post(url, {"answer": chosen}, "application/json")
        assert saved.json() == {"n": n, "answer": parse(v, chosen)}
    bad = client.post(f"{API}/tests/{pk}/questions/1/answer", {"answer": 7}, "application/json")
    assert bad.status_code == 400
    assert client.get(f"{API}/tests/{pk}").json()["answered"] == 10
    assert client.get(f"{API}/tests/{pk}/result").status_code == 409

    result = client.post(f"{API}/tests/{pk}/finish", content_type="application/json").json()
    assert (result["score"], result["total"], result["verdict"]) == (8, 10, "strong")
    tally = {}  # concept -> [right, total], from the answers given above
    for n in range(1, 11):
        for concept in version(test, n).concepts:
            tally.setdefault(concept, [0, 0])
            tally[concept][0] += n <= 8
            tally[concept][1] += 1
    assert {c["concept"]: [c["right"], c["total"]] for c in result["breakdown"]} == tally
    # The learner's concept tallies ("My learning") count the same rights and misses.
    recorded = ConceptProgress.objects.filter(learner=test.learner)
    assert {c.concept: [c.right, c.right + c.missed] for c in recorded} == tally
    weak = [c for c in result["breakdown"] if c["right"] < c["total"]]
    assert weak and all(c["modes"][0]["url"] == "/patterns/async-django/learn/" for c in weak)
    assert all(q["solution"]["steps"] for q in result["questions"])
    assert [q["correct"] for q in result["questions"]] == [True] * 8 + [False] * 2
    assert client.post(f"{API}/tests/{pk}/finish", content_type="application/json").json() == result
    assert client.get(f"{API}/tests/{pk}/result").json() == result
    late = client.post(
        f"{API}/tests/{pk}/questions/9/answer",
        {"answer": right(of(version(test, 9)))},
        "application/json",
    )
    assert late.status_code == 409 and "finished" in late.json()["detail"]


def test_a_test_is_never_finished_without_its_missed_questions_queued(client, pattern, monkeypatch):
    def queue_down(learner, question):
        raise RuntimeError("the review queue failed")

    monkeypatch.setattr(rules, "add_missed", queue_down)
    test = start(client)
    with pytest.raises(RuntimeError):
        rules.finish_test(test)
    test.refresh_from_db()
    assert test.finished_at is None and test.score is None
    assert not test.questions.filter(correct__isnull=False).exists()


def test_the_export_holds_my_tests(client, pattern, learner):
    client.force_login(learner)
    test = start(client)
    client.post(f"/tests/{test.pk}/finish")
    data = json.loads(client.get("/account/export.json").content)
    assert data["tests"][0]["score"] == 0 and len(data["tests"][0]["questions"]) == 10


def test_nothing_of_the_key_reaches_a_page_or_the_api_before_the_test_is_finished(client, pattern):
    client.get(START)
    pk = client.post(f"{API}/patterns/async-django/tests", content_type="application/json").json()[
        "id"
    ]
    test = models.TestAttempt.objects.get(pk=pk)
    versions = [version(test, n) for n in range(1, 11)]
    secrets = [secret for v in versions for secret in secrets_of(v)]
    responses = [client.get(START), client.get(f"{API}/tests/{pk}")]
    for n, v in enumerate(versions, start=1):
        api_answer = f"{API}/tests/{pk}/questions/{n}/answer"
        responses += [
            client.get(f"/tests/{pk}/{n}/"),
            client.get(f"{API}/tests/{pk}/questions/{n}"),
            client.post(f"/tests/{pk}/{n}/answer", form(of(v), wrong(of(v)))),
            client.post(f"/tests/{pk}/{n}/answer", {}),
            client.post(api_answer, {"answer": right(of(v))}, "application/json"),
            client.post(api_answer, {"answer": None}, "application/json"),
            client.get(f"/tests/{pk}/{n}/"),
            client.get(f"{API}/tests/{pk}/questions/{n}"),
        ]
    responses += [
        client.get(f"/tests/{pk}/results/"),
        client.get(f"{API}/tests/{pk}/result"),
        client.get(f"/tests/{pk}/11/"),
        client.get(f"{API}/tests/{pk}/questions/11"),
    ]
    assert {r.status_code for r in responses} == {200, 302, 400, 404, 409}
    for response in responses:
        assert_nothing_early(response, secrets)
        assert '"correct": true' not in response.content.decode()
    client.post(f"/tests/{pk}/finish")  # the finish is what reveals them
    results = client.get(f"/tests/{pk}/results/").content.decode()
    assert all(secret in results for secret in secrets_of(versions[0], with_hint=False))
