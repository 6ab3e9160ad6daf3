"""The Challenge rules that read no database, on plain unsaved problems: where a problem stands
(2 attempts, a 2:00 clock, SPEC §8), when its hint shows, which questions a new challenge
draws, and its lineup. No database, so `make mutate` runs these per mutant in a moment."""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from codedrill.attempts.models import ChallengeProblem
from codedrill.attempts.rules import _least_seen, lineup, problem_status, visible_hint
from codedrill.content.models import QuestionVersion

SHOWN = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
CLOCK = timedelta(seconds=120)


def problem(answers=(), correct=False, answered_after=None, shown=True) -> ChallengeProblem:
    """A problem shown at SHOWN with a 2:00 clock (or never shown), answered `answers` times,
    the last `answered_after` seconds after it was shown."""
    answered = SHOWN + timedelta(seconds=answered_after) if answered_after is not None else None
    return ChallengeProblem(
        version=QuestionVersion(hint="<p>Look at the await.</p>"),
        answers=list(answers),
        correct=correct,
        shown_at=SHOWN if shown else None,
        deadline=SHOWN + CLOCK if shown else None,
        answered_at=answered,
    )


def at(seconds: float) -> datetime:
    return SHOWN + timedelta(seconds=seconds)


def facts(status) -> tuple:
    return (
        status.started, status.finished, status.correct, status.attempts_used,
        status.attempts_left, status.remaining, status.outcome, status.time_used,
    )  # fmt: skip


def test_a_problem_not_yet_shown_has_no_clock_and_both_attempts():
    status = problem_status(problem(shown=False), at(500))
    assert facts(status) == (False, False, False, 0, 2, None, "", None)


def test_the_clock_counts_whole_seconds_up_and_never_below_zero():
    assert problem_status(problem(), at(0)).remaining == 120
    assert problem_status(problem(), at(0.2)).remaining == 120  # 119.8 s is shown as 120
    assert problem_status(problem(), at(119.5)).remaining == 1
    assert problem_status(problem(), at(119.5)).outcome == ""


def test_a_problem_is_out_of_time_at_its_deadline_and_after_it():
    for seconds in (120, 121, 5000):
        status = problem_status(problem(), at(seconds))
        assert facts(status) == (True, True, False, 0, 0, 0, "out of time", CLOCK)


def test_one_wrong_answer_leaves_one_attempt():
    status = problem_status(problem(["x"], answered_after=30), at(40))
    assert facts(status) == (True, False, False, 1, 1, 80, "", None)


def test_two_wrong_answers_end_it_out_of_attempts_whatever_the_clock_says_later():
    for seconds in (50, 500):
        status = problem_status(problem(["x", "y"], answered_after=45), at(seconds))
        assert status.outcome == "out of attempts" and status.finished
        assert (status.attempts_used, status.attempts_left) == (2, 0)
        assert status.time_used == timedelta(seconds=45)


def test_a_right_answer_ends_it_right_even_as_the_second_attempt():
    for answers in (["k"], ["x", "k"]):
        for seconds in (70, 500):
            status = problem_status(problem(answers, True, answered_after=61), at(seconds))
            assert (status.outcome, status.finished, status.correct) == ("right", True, True)
            assert status.attempts_left == 0
            assert status.time_used == timedelta(seconds=61)


def test_without_a_time_it_is_now():
    shown = ChallengeProblem(answers=[], shown_at=datetime.now(UTC))
    shown.deadline = shown.shown_at + CLOCK
    status = problem_status(shown)
    assert 110 < status.remaining <= 120 and not status.finished


def test_the_hint_shows_once_asked_for_or_once_the_problem_is_finished():
    open_problem = problem()
    status = problem_status(open_problem, at(10))
    assert visible_hint(open_problem, status) is None
    open_problem.hint_at = at(5)
    assert visible_hint(open_problem, status) == "<p>Look at the await.</p>"
    finished = problem(["x", "y"], answered_after=20)
    assert visible_hint(finished, problem_status(finished, at(30))) == "<p>Look at the await.</p>"


def seeded(n: int) -> random.Random:
    return random.Random(n)  # noqa: S311 - a reproducible draw, not a secret


def questions(*pks: int) -> list:
    return [SimpleNamespace(pk=pk) for pk in pks]


def test_a_challenge_draws_the_least_seen_questions_first():
    seen = Counter({1: 2, 2: 0, 3: 1, 4: 3})
    drawn = _least_seen(questions(1, 2, 3, 4), 2, seen, seeded(1))
    assert [q.pk for q in drawn] == [2, 3]
    assert [q.pk for q in _least_seen(questions(4, 1), 5, seen, seeded(1))] == [1, 4]


def test_among_equally_seen_questions_the_draw_is_random():
    seen = Counter({9: 1})  # 1, 2 and 3 never seen
    draws = {
        tuple(q.pk for q in _least_seen(questions(9, 1, 2, 3), 3, seen, seeded(n)))
        for n in range(30)
    }
    assert all(sorted(draw) == [1, 2, 3] for draw in draws)
    assert len(draws) > 1


def test_the_lineup_is_one_problem_per_category_easiest_first():
    def question(category, difficulty):
        return SimpleNamespace(current=SimpleNamespace(category=category, difficulty=difficulty))

    pool = [
        question("syntax", "hard"),
        question("concept", "medium"),
        question("syntax", "easy"),  # a second of a category: the slot is the first one's
        question("debug", "easy"),
        question("output", "unheard-of"),  # an unknown difficulty goes last
        question("broken", "expert"),
    ]
    pattern = SimpleNamespace(pool=lambda name: pool if name == "challenge" else [])
    assert [(v.category, v.difficulty) for v in lineup(pattern)] == [
        ("debug", "easy"), ("concept", "medium"), ("syntax", "hard"), ("broken", "expert"),
        ("output", "unheard-of"),
    ]  # fmt: skip
