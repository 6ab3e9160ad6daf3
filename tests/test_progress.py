"""The progress app and what reads it: completion apart from best result, concept tallies,
"My learning" and its API, the quick check from a question's rule, short-answer formats, and
answering a missed question from the review queue."""

import pytest
from attempts_support import of, right, wrong
from conftest import BUNDLED_CONTENT

from codedrill.attempts import rules
from codedrill.content.models import Pattern
from codedrill.progress.models import ConceptProgress, ModeProgress
from codedrill.quiz.answers import BadAnswer, Shown, parse, plain, reveal
from codedrill.review import queue

pytestmark = pytest.mark.usefixtures("published_for_module")


def test_a_finished_test_is_done_with_its_best_result_kept_apart(pattern, learner):
    first = rules.start_test(learner, pattern)
    rules.finish_test(first)  # nothing answered: 0/10, but done
    row = ModeProgress.objects.get(learner=learner, mode="test")
    assert (row.percent, row.best_right, row.best_total, row.state) == (100, 0, 10, "done")
    second = rules.start_test(learner, pattern)
    for q in second.questions.select_related("version"):
        rules.answer_test_question(q, right(of(q.version)))
    rules.finish_test(second)
    third = rules.start_test(learner, pattern)
    rules.finish_test(third)
    row.refresh_from_db()
    assert (row.best_right, row.best_total) == (10, 10)  # the best, not the last
    missed = ConceptProgress.objects.filter(learner=learner, missed__gt=0)
    assert missed.exists() and ConceptProgress.weakest(learner)[0].missed >= 1


def test_a_challenge_in_progress_is_not_done_and_a_finished_one_is(pattern, learner):
    challenge = rules.start_challenge(learner, pattern)
    for n in range(1, 3):
        problem = rules.show_problem(rules.get_problem(challenge, n))
        rules.answer_problem(learner, challenge.pk, n, right(of(problem.version)))
    row = ModeProgress.objects.get(learner=learner, mode="challenge")
    assert row.percent == 40 and row.state == "started" and row.best_total is None
    for n in range(3, 6):
        problem = rules.show_problem(rules.get_problem(challenge, n))
        version = problem.version
        rules.answer_problem(learner, challenge.pk, n, wrong(of(version)))
        rules.answer_problem(learner, challenge.pk, n, wrong(of(version), 1))
    row.refresh_from_db()
    assert (row.percent, row.best_right, row.best_total) == (100, 2, 5)
    challenge.refresh_from_db()
    assert challenge.finished_at is not None


def test_my_learning_and_its_api_show_the_same_facts(client, pattern, learner):
    ModeProgress.advance(learner, pattern, "learn", 100)
    ModeProgress.advance(learner, pattern, "practice", 40)
    test = rules.start_test(learner, pattern)
    rules.finish_test(test)
    client.force_login(learner)
    html = client.get("/me/").content.decode()
    assert "My learning" in html and "Best Test: <strong>0/10</strong>" in html
    assert "10 reviews due today" in " ".join(plain(html).split())
    assert "Concepts to work on" in html
    data = client.get("/api/v1/me/progress").json()
    (mine,) = [p for p in data["patterns"] if p["slug"] == pattern.slug]
    modes = {m["slug"]: m for m in mine["modes"]}
    assert modes["learn"]["state"] == "done" and modes["practice"]["progress"] == 40
    assert modes["test"]["best"] == {"right": 0, "total": 10}
    assert data["review_due_today"] == 10
    assert data["weakest_concepts"][0]["taught_in"]
    assert client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/me/progress"]


def test_my_learning_for_a_visitor_shows_nothing_started(client, pattern):
    html = client.get("/me/").content.decode()
    assert "Nothing here yet" in html and "0%" in html
    assert client.get("/api/v1/me/progress").json()["review_due_today"] == 0


def test_the_quick_check_is_the_questions_rule(pattern):
    version = pattern.pool("practice")[0].current
    assert version.rule and reveal(Shown(version))["quick_check"] == version.rule
    version.rule = "Code after an `await` runs only when the awaited thing is done."
    revealed = reveal(Shown(version))
    assert revealed["quick_check"] == version.rule
    assert "<code>await</code>" in revealed["quick_check_html"]


def test_a_short_answer_of_the_wrong_shape_is_sent_back_unjudged(pattern):
    whole = next(
        q.current
        for q in pattern.pool("test")
        if q.current.kind == "short" and q.current.key.isdigit()
    )
    with pytest.raises(BadAnswer, match="whole number"):
        parse(whole, "4 seconds")
    assert parse(whole, " 5 ") == "5"


def test_a_missed_question_is_answered_whole_then_rated(client, pattern, learner):
    question = pattern.pool("test")[0]
    client.force_login(learner)
    url = f"/review/questions/{question.uuid}/"
    assert client.get(url).status_code == 404  # not queued
    queue.add_missed(learner, question)
    page = client.get(url).content.decode()
    assert question.current.stem in page and "Final answer" not in page and "Good" not in page
    fields = {"answer": right(of(question.current))}
    if question.current.kind == "blank":
        fields = {f"blank-{k}": v for k, v in question.current.key.items()}
    answered = client.post(url, fields).content.decode()
    assert "Correct." in answered and "Final answer" in answered and ">Good<" in answered
    assert ">Good<" in client.get(url + "?reveal=1").content.decode()
    client.get("/api/v1/csrf")
    token = client.cookies["csrftoken"].value
    body = {"answer": wrong(of(question.current))}
    checked = client.post(
        f"/api/v1/review/questions/{question.uuid}/check",
        body,
        "application/json",
        headers={"X-CSRFToken": token},
    ).json()
    assert checked["correct"] is False and checked["solution"]["steps"]
    item = client.get("/api/v1/review/queue").json()["items"][0]
    assert item["question"]["options"] == Shown(question.current).as_json()["options"]


def test_a_blank_filled_with_a_list_in_the_review_api_is_a_400(client, pattern, learner):
    """The review check takes any JSON as its answer; a list in a blank once raised a 500."""
    question = next(q for q in pattern.pool("try") if q.current.kind == "blank")
    queue.add_missed(learner, question)
    client.force_login(learner)
    client.get("/api/v1/csrf")
    key = question.current.key
    blank = next(iter(key))
    response = client.post(
        f"/api/v1/review/questions/{question.uuid}/check",
        {"answer": key | {blank: [key[blank]]}},
        "application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Each blank takes one of its own options."}


def test_my_learning_lists_every_pattern_with_its_own_progress(client, learner, two_tracks):
    ModeProgress.advance(learner, two_tracks, "learn", 100)
    client.force_login(learner)
    html = client.get("/me/").content.decode()
    live = Pattern.objects.live()
    bundled = {path.parent.name for path in BUNDLED_CONTENT.glob("*/*/pattern.yaml")}
    assert live.count() == len(bundled) + 1 >= 3  # the bundled ones and the example
    for pattern in live:
        assert f'id="pattern-{pattern.slug}"' in html and pattern.title in html
    data = client.get("/api/v1/me/progress").json()
    progress = {p["slug"]: p["progress"] for p in data["patterns"]}
    assert set(progress) == {p.slug for p in live}
    assert progress[two_tracks.slug] > 0 and progress["async-django"] == 0
