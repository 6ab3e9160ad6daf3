"""Try, Practice and Review's quick quiz through the pages: attempts, hints, reveal, progress."""

import pytest

from codedrill.learning.models import QuestionProgress
from codedrill.progress.models import ModeProgress
from codedrill.quiz.answers import inline_code, learner_order, plain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("published_for_module")]

PRACTICE = "/patterns/async-django/practice/"
TRY = "/patterns/async-django/try/"


def wrong_choice(version) -> dict:
    """A form answer that is a possible answer but not the key."""
    if version.kind == "blank":
        blank, keyed = next(iter(version.key.items()))
        other = next(o["id"] for o in version.options if o["blank"] == blank and o["id"] != keyed)
        return {
            f"blank-{name}": (other if name == blank else opt) for name, opt in version.key.items()
        }
    if version.kind == "single":
        return {"answer": next(o["id"] for o in version.options if o["id"] != version.key)}
    raise AssertionError(version.kind)


def right_choice(version) -> dict:
    if version.kind == "blank":
        return {f"blank-{name}": option for name, option in version.key.items()}
    return {"answer": version.key}


def secrets_of(version) -> list[str]:
    """Texts that must not reach a learner before they answered."""
    texts = [version.hint, *version.solution, *(m["html"] for m in version.mistakes)]
    return [" ".join(plain(t).split())[:60] for t in texts]


def visible(response) -> str:
    return " ".join(plain(response.content.decode()).split())


def test_the_practice_list_shows_five_problems_with_difficulty(client, pattern):
    html = client.get(PRACTICE).content.decode()
    assert html.count("Problem ") >= 5 and "easy" in html and "hard" in html
    assert 'href="/patterns/async-django/practice/5/"' in html


def test_a_practice_problem_shows_one_of_five_and_nothing_early(client, pattern):
    version = pattern.pool("practice")[0].current
    response = client.get(PRACTICE + "1/")
    text = visible(response)
    assert "Problem 1/5" in text and version.difficulty in text
    assert "Final answer" not in text
    for secret in secrets_of(version):
        assert secret not in text


def test_a_practice_answer_reveals_the_solution_derived_from_the_key(client, pattern):
    version = pattern.pool("practice")[0].current
    response = client.post(PRACTICE + "1/", wrong_choice(version), follow=True)
    text = visible(response)
    assert "Not correct." in text
    # The letter is the key's place in this learner's own order of the options.
    order = learner_order(response.wsgi_request.user, version.options, str(version.question.uuid))
    letter = "ABCD"[order.index(version.key)]
    assert f"Final answer: {letter}:" in text
    assert f"Quick check: {plain(inline_code(version.rule))}" in text
    assert "Common mistakes" in text
    for step in version.solution:
        assert " ".join(plain(step).split())[:60] in text
    # Unlimited tries: answer again, right this time.
    client.get(PRACTICE + "1/?again=1")
    text = visible(client.post(PRACTICE + "1/", right_choice(version), follow=True))
    assert "Correct." in text
    progress = QuestionProgress.objects.get(mode="practice")
    assert (progress.tries, progress.correct, progress.last_correct) == (2, True, True)


def test_try_again_shows_a_fresh_form_without_the_solution(client, pattern):
    version = pattern.pool("practice")[0].current
    client.post(PRACTICE + "1/", right_choice(version))
    text = visible(client.get(PRACTICE + "1/?again=1"))
    assert "Final answer" not in text and "Check my answer" in text


def test_the_hint_appears_only_when_asked(client, pattern):
    version = pattern.pool("practice")[1].current
    hint = secrets_of(version)[0]
    assert hint not in visible(client.get(PRACTICE + "2/"))
    response = client.post(PRACTICE + "2/hint", follow=True)
    assert hint in visible(response)
    assert "Final answer" not in visible(response)


def test_try_allows_three_attempts_then_shows_the_completed_code(client, pattern):
    version = pattern.pool("try")[0].current
    first = visible(client.post(TRY + "1/", wrong_choice(version), follow=True))
    assert "Not yet" in first and "2 attempts left" in first
    assert "Final answer" not in first and "completed code" not in first
    client.post(TRY + "1/", wrong_choice(version))
    third = visible(client.post(TRY + "1/", wrong_choice(version), follow=True))
    assert "The completed code" in third and "Final answer" in third
    client.post(TRY + "1/", right_choice(version))  # a fourth answer changes nothing
    progress = QuestionProgress.objects.get(mode="try")
    assert (progress.tries, progress.correct) == (3, False)


def test_try_right_at_once_reveals_and_counts_progress(client, pattern):
    version = pattern.pool("try")[0].current
    text = visible(client.post(TRY + "1/", right_choice(version), follow=True))
    assert "Correct." in text and "The completed code" in text
    progress = ModeProgress.objects.get(mode="try")
    assert progress.percent == 20


@pytest.mark.parametrize(
    "data",
    [{}, {"answer": "no-such-option"}, {"answer": ""}, {"blank-1": "x"}],
)
def test_a_malformed_answer_is_a_clear_400_and_records_nothing(client, pattern, data):
    response = client.post(PRACTICE + "1/", data)
    assert response.status_code == 400
    assert "Choose one of the options" in response.content.decode()
    assert not QuestionProgress.objects.exists()


def test_the_review_quiz_is_five_questions(client, pattern):
    assert client.get("/patterns/async-django/review/5/").status_code == 200
    assert client.get("/patterns/async-django/review/6/").status_code == 404


def test_unknown_numbers_and_modes_are_404(client, pattern):
    assert client.get(PRACTICE + "0/").status_code == 404
    assert client.get(PRACTICE + "9/").status_code == 404
    assert client.get("/patterns/async-django/learn/1/").status_code == 404
    assert client.put(PRACTICE + "1/").status_code == 405


def test_a_guests_practice_is_kept_when_they_sign_up(client, pattern):
    version = pattern.pool("practice")[0].current
    client.post(PRACTICE + "1/", right_choice(version))
    client.post(
        "/signup/",
        {"username": "lin", "password1": "plum-kettle-44", "password2": "plum-kettle-44"},
    )
    progress = QuestionProgress.objects.get(mode="practice")
    assert progress.learner.username == "lin" and progress.correct
    assert ModeProgress.objects.get(learner__username="lin", mode="practice").percent == 20


def test_logging_in_after_practising_as_a_guest_moves_the_work(client, pattern, learner):
    version = pattern.pool("practice")[0].current
    client.post(PRACTICE + "1/", right_choice(version))
    client.post("/login/", {"username": "ada", "password": "correct-horse-9"})
    assert QuestionProgress.objects.get(mode="practice").learner == learner
    exported = client.get("/account/export.json").json()
    assert exported["questions"][0]["correct"] is True
