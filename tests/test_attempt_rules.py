"""Properties of the attempt rules under random sequences of shows, answers, hints, finishes
and jumps of the clock."""

from datetime import timedelta

import pytest
from attempts_support import of, right, wrong
from django.db.models import F
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from codedrill.accounts.models import User
from codedrill.attempts import rules
from codedrill.attempts.models import Badge
from codedrill.quiz.answers import BadAnswer

pytestmark = pytest.mark.usefixtures("published_for_module")

RUNS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Jumps are multiples of 50 s against a 120 s clock, so no deadline is ever within a few
# seconds of the real time a step takes.
JUMPS = st.sampled_from([50, 100, 500])
PROBLEM = st.integers(1, 5)
ANSWERS = st.sampled_from(["right", "wrong-0", "wrong-1", "wrong-2", "malformed"])
PLAY = st.tuples(st.just("play"), PROBLEM, ANSWERS)  # show the problem, then answer it
CHALLENGE_STEPS = st.lists(
    st.one_of(
        PLAY,
        st.tuples(st.just("show"), PROBLEM),
        st.tuples(st.just("answer"), PROBLEM, ANSWERS),
        st.tuples(st.just("hint"), PROBLEM),
        st.tuples(st.just("jump"), JUMPS),
    ),
    max_size=25,
)
# Half the runs then try to get every problem right, so the badge is often earned, or missed
# only because of what came before.
SOLVE_ALL = [("play", n, "right") for n in range(1, 6)]
ATTEMPTS = 2  # the rule as the product states it (SPEC §3), not the constant under test
# The boundary, every run: three different wrong answers, then the right one, on one problem.
PAST_THE_LIMIT = [("play", 1, "wrong-0"), ("answer", 1, "wrong-1"), ("answer", 1, "wrong-2"),
                  ("answer", 1, "right")]  # fmt: skip


def raw_answer(version, choice: str):
    if choice == "right":
        return right(of(version))
    if choice == "malformed":
        return {"not": "an answer"}
    return wrong(of(version), int(choice.removeprefix("wrong-")))


def jump(queryset, seconds: int) -> None:
    """The clock jumps forward: every stored moment is that much further in the past."""
    delta = timedelta(seconds=seconds)
    moments = ("shown_at", "deadline", "answered_at", "hint_at")
    queryset.update(**{name: F(name) - delta for name in moments})


@RUNS
@given(steps=CHALLENGE_STEPS, solve_all=st.booleans())
@example(steps=PAST_THE_LIMIT, solve_all=False)
@example(steps=PAST_THE_LIMIT[:2], solve_all=True)
def test_challenge_rules_hold_for_any_sequence(pattern, steps, solve_all):
    learner = User.create_guest()
    challenge = rules.start_challenge(learner, pattern)
    ever_finished = set()
    for step in steps + SOLVE_ALL if solve_all else steps:
        kind, n = step[0], step[1]
        if kind == "jump":
            jump(challenge.problems.all(), n)
            continue
        before = rules.get_problem(challenge, n)
        if kind == "play":
            before = rules.show_problem(before)
        status = rules.problem_status(before)
        if kind == "show":
            rules.show_problem(before)
        elif kind == "hint":
            try:
                rules.ask_hint(before)
            except rules.Refused:
                assert not status.started
        else:
            raw = raw_answer(before.version, step[2])
            try:
                judged = rules.answer_problem(learner, challenge.pk, n, raw)
            except BadAnswer:
                assert step[2] == "malformed"
            except rules.TimeUp:
                assert status.outcome == rules.OUT_OF_TIME
            except rules.Refused:
                assert status.finished or not status.started
            else:
                canonical = judged.answer
                if canonical in before.answers:  # a repeat: the recorded result, nothing used
                    assert judged.status.attempts_used == status.attempts_used
                else:
                    assert status.started and not status.finished
                    assert judged.status.attempts_used == status.attempts_used + 1
        after = rules.get_problem(challenge, n)
        now = rules.problem_status(after)
        # Attempts never exceed two, and an open problem has the rest left; answers are only
        # ever appended; right stays right.
        assert now.attempts_used <= ATTEMPTS
        assert now.attempts_left == (0 if now.finished else ATTEMPTS - now.attempts_used)
        assert now.finished == (now.correct or now.attempts_used == ATTEMPTS or now.remaining == 0)
        assert after.answers[: len(before.answers)] == before.answers
        assert now.correct or not status.correct
        # Nothing is counted once time is up.
        if status.outcome == rules.OUT_OF_TIME:
            assert after.answers == before.answers
        # The deadline is set once, by the first showing.
        assert before.deadline is None or after.deadline == before.deadline
        summary = rules.summarize(challenge)
        finished = {p.position for p, s in summary.problems if s.finished}
        assert ever_finished <= finished, "a finished problem reopened"
        ever_finished = finished
        earned = Badge.objects.filter(learner=learner).exists()
        assert earned == (summary.score == rules.CHALLENGE_SIZE)
    event(f"badge: {Badge.objects.filter(learner=learner).exists()}")
    event(f"finished: {len(ever_finished)}")


TEST_STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.integers(1, 10), ANSWERS),
        st.tuples(st.just("finish")),
    ),
    max_size=30,
)


@RUNS
@given(steps=TEST_STEPS)
def test_a_test_is_scored_once_on_the_last_answers(pattern, steps):
    learner = User.create_guest()
    test = rules.start_test(learner, pattern)
    last: dict[int, str] = {}
    score = None
    for step in steps:
        if step[0] == "finish":
            finished = rules.finish_test(test)
            expected = sum(choice == "right" for choice in last.values())
            assert finished.score == (expected if score is None else score)
            score = finished.score
            continue
        _kind, n, choice = step
        question = rules.get_test_question(test, n)
        try:
            rules.answer_test_question(question, raw_answer(question.version, choice))
        except BadAnswer:
            assert choice == "malformed"
        except rules.Refused:
            assert score is not None  # only a finished test refuses answers
        else:
            assert score is None
            last[n] = choice
    test.refresh_from_db()
    assert test.score == score
