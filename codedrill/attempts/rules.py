"""The rules of Challenge and Test: drawing questions, the clock, attempts, hints, scoring and
badges. The pages (`views`) and the API (`codedrill.api.attempts`) both call these functions
and decide nothing themselves.

Answers, hints and finishes run in a transaction that first locks the attempt's row
(`select_for_update()`), so a burst of requests on one attempt is judged one request at a time:
on PostgreSQL by the row lock, on SQLite by `BEGIN IMMEDIATE`, which already admits one writer
at a time. Starting a clock is a single conditional UPDATE. The time of a decision is read on
the server once the lock is held; clients never send times.
"""

import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from codedrill.attempts.models import Badge, Challenge, ChallengeProblem, TestAttempt, TestQuestion
from codedrill.content.models import Pattern, Question, QuestionVersion
from codedrill.content.modes import BY_SLUG, TEST_MIX
from codedrill.content.questions import CATEGORIES
from codedrill.prepared import Param, Prepared
from codedrill.progress.models import ConceptProgress, ModeProgress
from codedrill.quiz.answers import from_form, is_correct, parse, shuffled_order
from codedrill.review.queue import add_missed

CHALLENGE_SIZE = len(CATEGORIES)  # one problem per category
MAX_ATTEMPTS = 2
TEST_SIZE = sum(TEST_MIX.values())

RIGHT, OUT_OF_ATTEMPTS, OUT_OF_TIME = "right", "out of attempts", "out of time"


class Refused(Exception):
    """A well-formed request the rules turn down (the API answers 409); nothing was recorded."""


class TimeUp(Refused):
    """The problem's clock has run out."""


def _by_owner(rows: Callable[[], QuerySet]) -> Prepared:
    """An attempt by its id and its learner's: every request on an attempt reads it, so the
    query is compiled once (codedrill.prepared)."""
    return Prepared(lambda: rows().filter(pk=Param("pk"), learner_id=Param("learner")))


def _owned(attempts: Prepared, user, pk: int):
    """The learner's own attempt; anyone else's is not found, exactly like a missing one."""
    if user.is_authenticated and (attempt := attempts.first(pk=pk, learner=user.pk)):
        return attempt
    raise Http404("No such attempt.")


_CHALLENGE = _by_owner(lambda: Challenge.objects.select_related("pattern"))
_LOCKED_CHALLENGE = _by_owner(lambda: Challenge.objects.select_for_update())
_TEST = _by_owner(lambda: TestAttempt.objects.select_related("pattern"))


# --- Challenge -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemStatus:
    started: bool
    finished: bool
    correct: bool
    attempts_used: int
    attempts_left: int
    remaining: int | None  # whole seconds left on the clock; None before it starts
    outcome: str  # RIGHT, OUT_OF_ATTEMPTS, OUT_OF_TIME, or "" while the problem is open
    time_used: timedelta | None  # once finished


def problem_status(problem: ChallengeProblem, now: datetime | None = None) -> ProblemStatus:
    """Where a problem stands at `now`. "Out of time" is read from the stored deadline, so no
    background job is needed and a restart changes nothing."""
    now = now or timezone.now()
    used = len(problem.answers)
    started = problem.deadline is not None
    remaining = None
    if started:
        remaining = max(0, math.ceil((problem.deadline - now).total_seconds()))
    if problem.correct:
        outcome, ended = RIGHT, problem.answered_at
    elif used >= MAX_ATTEMPTS:
        outcome, ended = OUT_OF_ATTEMPTS, problem.answered_at
    elif started and remaining == 0:
        outcome, ended = OUT_OF_TIME, problem.deadline
    else:
        outcome, ended = "", None
    return ProblemStatus(
        started=started,
        finished=bool(outcome),
        correct=problem.correct,
        attempts_used=used,
        attempts_left=0 if outcome else MAX_ATTEMPTS - used,
        remaining=remaining,
        outcome=outcome,
        time_used=ended - problem.shown_at if ended else None,
    )


@dataclass(frozen=True)
class ChallengeSummary:
    challenge: Challenge
    problems: list[tuple[ChallengeProblem, ProblemStatus]]
    finished: bool
    score: int
    badge: bool  # this challenge earned the pattern's badge


def _least_seen(questions: list[Question], count: int, seen: Counter, rng) -> list[Question]:
    """`count` of the questions: those the learner was given least often first (so the unseen
    before any other), at random among equals. An earlier attempt reveals its solutions, so
    what it asked must not come back while something else can."""
    return sorted(questions, key=lambda q: (seen[q.pk], rng.random()))[:count]


def start_challenge(learner, pattern: Pattern) -> Challenge:
    """A new attempt: one problem per category, the learner's least seen first, in a fresh
    order; options shuffled."""
    pool = pattern.pool("challenge")
    slots = [[q for q in pool if q.current.category == c] for c in CATEGORIES]
    if not all(slots):
        raise Refused("This pattern's Challenge is not available yet.")
    rng = random.SystemRandom()
    seen = Counter(
        ChallengeProblem.objects.filter(
            challenge__learner=learner, challenge__pattern=pattern
        ).values_list("version__question", flat=True)
    )
    drawn = [q for slot in slots for q in _least_seen(slot, 1, seen, rng)]
    rng.shuffle(drawn)
    with transaction.atomic():
        challenge = Challenge.objects.create(learner=learner, pattern=pattern)
        ChallengeProblem.objects.bulk_create(
            ChallengeProblem(
                challenge=challenge,
                position=n,
                version=question.current,
                order=shuffled_order(question.current.options, rng),
            )
            for n, question in enumerate(drawn, start=1)
        )
    return challenge


def get_challenge(user, pk: int) -> Challenge:
    """The learner's challenge, settled first (see `settle`)."""
    challenge = _owned(_CHALLENGE, user, pk)
    settle(challenge)
    return challenge


def settle(challenge: Challenge, now: datetime | None = None, problems: list | None = None) -> None:
    """Once every problem is finished, record the challenge as finished, once: the mode is
    done, its result is kept if it is the learner's best, and each problem's concepts count
    as right or missed. A problem can finish by its clock alone, with no request, so this runs
    whenever a challenge is read or answered; a finished problem never changes again.
    `problems`: the challenge's problems with their versions, when the caller has read them."""
    if challenge.finished_at is not None:
        return
    now = now or timezone.now()
    if problems is None:
        problems = list(challenge.problems.select_related("version"))
    if not all(problem_status(problem, now).finished for problem in problems):
        return
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        if locked.finished_at is None:
            locked.finished_at = now
            locked.save(update_fields=["finished_at"])
            right = sum(problem.correct for problem in problems)
            learner, pattern = challenge.learner_id, challenge.pattern_id
            ModeProgress.record_result(learner, pattern, "challenge", right, len(problems))
            for problem in problems:
                ConceptProgress.record(learner, pattern, problem.version.concepts, problem.correct)
    challenge.finished_at = locked.finished_at


def _problem_of(problems: Prepared, challenge: Challenge, n: int) -> ChallengeProblem:
    if problem := problems.first(challenge=challenge.pk, n=n):
        problem.challenge = challenge
        return problem
    raise Http404("No such problem.")


_PROBLEM = Prepared(
    lambda: ChallengeProblem.objects.filter(challenge_id=Param("challenge"), position=Param("n"))
)
_SHOWN_PROBLEM = Prepared(
    lambda: ChallengeProblem.objects.select_related("version__question").filter(
        challenge_id=Param("challenge"), position=Param("n")
    )
)


def get_problem(challenge: Challenge, n: int) -> ChallengeProblem:
    return _problem_of(_SHOWN_PROBLEM, challenge, n)


def show_problem(problem: ChallengeProblem) -> ChallengeProblem:
    """Start the problem's clock the first time it is shown. The conditional UPDATE is atomic,
    so of two first showings at once only one sets the deadline, and both then read it."""
    if problem.deadline is None:
        now = timezone.now()
        deadline = now + timedelta(seconds=settings.CHALLENGE_SECONDS)
        unstarted = ChallengeProblem.objects.filter(pk=problem.pk, deadline__isnull=True)
        unstarted.update(shown_at=now, deadline=deadline)
        problem.refresh_from_db(fields=["shown_at", "deadline"])
    return problem


def _locked(problem: ChallengeProblem) -> ChallengeProblem:
    """Lock the problem's challenge (every write to one attempt queues behind it, and the badge
    check sees all its problems settled), then read the problem afresh."""
    Challenge.objects.select_for_update().get(pk=problem.challenge_id)
    return ChallengeProblem.objects.select_related("challenge", "version").get(pk=problem.pk)


@dataclass(frozen=True)
class Judged:
    problem: ChallengeProblem  # as recorded
    answer: object  # canonical
    correct: bool
    status: ProblemStatus


def answer_problem(user, challenge_pk: int, n: int, raw=None, *, form=None) -> Judged:
    """Judge one attempt at problem n of the learner's challenge: `raw` is the API's answer,
    `form` the page's POST data. A malformed answer raises BadAnswer and uses nothing; the same
    canonical answer again returns the recorded result and uses nothing either.

    Everything is read once, inside the transaction and after the lock (this is the hot path
    of a challenge: see benchmarks/README.md "Challenge load")."""
    with transaction.atomic():
        challenge = _owned(_LOCKED_CHALLENGE, user, challenge_pk)
        # Read after the lock, in a statement of its own: PostgreSQL re-reads only the rows a
        # FOR UPDATE locked, so a problem joined to the lock could be read as it was before
        # the answer that held the lock. Its version never changes: shared, not read again.
        problem = _problem_of(_PROBLEM, challenge, n)
        version = _with_versions([problem])[0].version
        answer = parse(version, from_form(version, form) if form is not None else raw)
        now = timezone.now()
        if answer in problem.answers:
            correct = is_correct(version, answer)
            return Judged(problem, answer, correct, problem_status(problem, now))
        status = problem_status(problem, now)
        if not status.started:
            raise Refused("Open the problem first: its clock starts when it is shown.")
        if status.outcome == OUT_OF_TIME:
            raise TimeUp("Time is up for this problem: the answer was not counted.")
        if status.finished:
            raise Refused("This problem is finished: it takes no more answers.")
        problem.answers = [*problem.answers, answer]
        problem.correct = is_correct(version, answer)
        problem.answered_at = now
        problem.save(update_fields=["answers", "correct", "answered_at"])
        status = problem_status(problem, now)
        if status.finished:  # every right answer finishes its problem
            # Read once for the badge, the share done and settling, this answer included.
            problems = _with_versions(list(challenge.problems.all()))
            if problem.correct and sum(p.correct for p in problems) == CHALLENGE_SIZE:
                award_badge(challenge.learner_id, challenge.pattern_id, now)
            _record_share_done(challenge, problems, now)
            settle(challenge, now, problems)
        return Judged(problem, answer, problem.correct, status)


def _with_versions(problems: list[ChallengeProblem]) -> list[ChallengeProblem]:
    """The problems, each with its version from QuestionVersion.shared."""
    versions = QuestionVersion.shared([problem.version_id for problem in problems])
    for problem in problems:
        problem.version = versions[problem.version_id]
    return problems


def _record_share_done(challenge: Challenge, problems: list[ChallengeProblem], now) -> None:
    """A challenge under way shows as in progress: its share of finished problems, held
    below 100 until `settle` records it as finished."""
    finished = sum(problem_status(p, now).finished for p in problems)
    percent = min(99, 100 * finished // CHALLENGE_SIZE)
    ModeProgress.advance(challenge.learner_id, challenge.pattern_id, "challenge", percent)


def award_badge(learner_id: int, pattern_id: int, now: datetime) -> None:
    """The pattern's badge, once per learner: for a Challenge with every problem right and,
    where the pattern says so (`badge_needs_project`), every step of its project passed.
    Called when either is reached, in whichever order. A second call that gets there too (even
    at the same moment) finds the badge's row and inserts nothing."""
    needs_project = Pattern.objects.filter(pk=pattern_id, badge_needs_project=True).exists()
    if (
        needs_project
        and not ModeProgress.objects.filter(
            learner_id=learner_id, pattern_id=pattern_id, mode="project", percent__gte=100
        ).exists()
    ):
        return
    won = (
        Challenge.objects.filter(learner_id=learner_id, pattern_id=pattern_id)
        .annotate(right=Count("problems", filter=Q(problems__correct=True)))
        .filter(right=CHALLENGE_SIZE)
        .order_by("started_at")
        .first()
    )
    if won:
        earned = Badge(learner_id=learner_id, pattern_id=pattern_id, earned_at=now, challenge=won)
        Badge.objects.bulk_create([earned], ignore_conflicts=True)


def ask_hint(problem: ChallengeProblem) -> SafeString:
    """The hint, recorded as asked for while the problem is open."""
    with transaction.atomic():
        problem = _locked(problem)
        status = problem_status(problem)
        if not status.started:
            raise Refused("Open the problem first: its clock starts when it is shown.")
        if not status.finished and problem.hint_at is None:
            problem.hint_at = timezone.now()
            problem.save(update_fields=["hint_at"])
    return mark_safe(problem.version.hint)  # noqa: S308 - sanitized at publish


def visible_hint(problem: ChallengeProblem, status: ProblemStatus) -> SafeString | None:
    """The hint shows once asked for, or once the problem is finished; never unasked before."""
    if problem.hint_at is None and not status.finished:
        return None
    return mark_safe(problem.version.hint)  # noqa: S308 - sanitized at publish


def summarize(challenge: Challenge, now: datetime | None = None) -> ChallengeSummary:
    now = now or timezone.now()
    problems = [(p, problem_status(p, now)) for p in challenge.problems.all()]
    return ChallengeSummary(
        challenge=challenge,
        problems=problems,
        finished=all(status.finished for _p, status in problems),
        score=sum(status.correct for _p, status in problems),
        badge=badge_of(challenge) is not None,
    )


def past_challenges(user, pattern: Pattern) -> list[ChallengeSummary]:
    if not user.is_authenticated:
        return []
    challenges = Challenge.objects.filter(learner=user, pattern=pattern)
    now = timezone.now()
    return [summarize(c, now) for c in challenges.prefetch_related("problems")]


# Difficulty labels of every pool, easiest first (Test uses the first three).
DIFFICULTY_ORDER = {
    label: n
    for n, label in enumerate(
        ["easy", "beginner", "medium", "intermediate", "hard", "advanced", "expert"]
    )
}


def lineup(pattern: Pattern) -> list:
    """A new challenge's problems as slots, easiest first: one version per category, whose
    category and difficulty every problem of that slot shares (the checker sees to it)."""
    slots = {}
    for question in pattern.pool("challenge"):
        slots.setdefault(question.current.category, question.current)
    versions = list(slots.values())
    return sorted(
        versions,
        key=lambda v: (DIFFICULTY_ORDER.get(v.difficulty, len(DIFFICULTY_ORDER)), v.category),
    )


def badge_of(challenge: Challenge) -> Badge | None:
    """The badge this challenge earned, if it did."""
    return Badge.objects.filter(challenge=challenge).first()


# Read by the pattern page: compiled once (codedrill.prepared).
_BADGE = Prepared(
    lambda: Badge.objects.filter(learner_id=Param("learner"), pattern_id=Param("pattern"))
)


def badge_for(user, pattern: Pattern) -> Badge | None:
    if not user.is_authenticated:
        return None
    return _BADGE.first(learner=user.pk, pattern=pattern.pk)


def badges(user) -> list[Badge]:
    if not user.is_authenticated:
        return []
    return list(Badge.objects.filter(learner=user).select_related("pattern"))


# --- Test ------------------------------------------------------------------------------------


def start_test(learner, pattern: Pattern) -> TestAttempt:
    """Ten questions: 3 easy, 4 medium, 3 hard, easy first, the learner's least seen first;
    options shuffled. A pool short of one difficulty is topped up from the others, so a test
    is as full as the pool allows."""
    pool = pattern.pool("test")
    if not pool:
        raise Refused("This pattern's Test is not available yet.")
    rng = random.SystemRandom()
    seen = Counter(
        TestQuestion.objects.filter(test__learner=learner, test__pattern=pattern).values_list(
            "version__question", flat=True
        )
    )
    drawn = []
    for difficulty, count in TEST_MIX.items():
        level = [q for q in pool if q.current.difficulty == difficulty]
        drawn += _least_seen(level, count, seen, rng)
    rest = [q for q in pool if q not in drawn]
    drawn += _least_seen(rest, TEST_SIZE - len(drawn), seen, rng)
    with transaction.atomic():
        test = TestAttempt.objects.create(learner=learner, pattern=pattern)
        TestQuestion.objects.bulk_create(
            TestQuestion(
                test=test,
                position=n,
                version=question.current,
                order=shuffled_order(question.current.options, rng),
            )
            for n, question in enumerate(drawn, start=1)
        )
    return test


def get_test(user, pk: int) -> TestAttempt:
    return _owned(_TEST, user, pk)


def get_test_question(test: TestAttempt, n: int) -> TestQuestion:
    questions = test.questions.select_related("version__question")
    return get_object_or_404(questions, position=n)


def answer_test_question(question: TestQuestion, raw) -> object:
    """Record (or change) one answer, judged only when the test finishes. Returns it canonical."""
    answer = parse(question.version, raw)
    with transaction.atomic():
        test = TestAttempt.objects.select_for_update().get(pk=question.test_id)
        if test.finished_at is not None:
            raise Refused("This test is finished: its answers can no longer change.")
        row = TestQuestion.objects.filter(pk=question.pk)
        row.update(answer=answer, answered_at=timezone.now())
        # Under way: the share answered, held below 100 until the test is finished.
        answered = test.questions.filter(answer__isnull=False).count()
        percent = min(99, 100 * answered // test.questions.count())
        ModeProgress.advance(test.learner_id, test.pattern_id, "test", percent)
    return answer


def finish_test(test: TestAttempt) -> TestAttempt:
    """Judge every answer and score the test, once: a second finish, concurrent or later,
    finds it finished and changes nothing. Missed questions join the learner's review queue
    in the same transaction, so a test is never finished without them."""
    with transaction.atomic():
        test = TestAttempt.objects.select_for_update().get(pk=test.pk)
        if test.finished_at is None:
            questions = list(test.questions.select_related("version__question"))
            for q in questions:
                q.correct = q.answer is not None and is_correct(q.version, q.answer)
            TestQuestion.objects.bulk_update(questions, ["correct"])
            test.score = sum(q.correct for q in questions)
            test.finished_at = timezone.now()
            test.save(update_fields=["score", "finished_at"])
            learner, pattern = test.learner_id, test.pattern_id
            for q in questions:
                if not q.correct:
                    add_missed(test.learner, q.version.question)
                ConceptProgress.record(learner, pattern, q.version.concepts, q.correct)
            ModeProgress.record_result(learner, pattern, "test", test.score, len(questions))
    return test


def verdict(score: int, total: int) -> str:
    """Strong from 8 of 10, developing from 5 of 10, in proportion for a shorter test."""
    if score * 10 >= 8 * total:
        return "strong"
    if score * 10 >= 5 * total:
        return "developing"
    return "needs work"


@dataclass(frozen=True)
class ConceptScore:
    slug: str
    title: str
    right: int
    total: int
    modes: list  # content.modes.Mode to revisit; empty when the concept is not weak


@dataclass(frozen=True)
class TestResult:
    test: TestAttempt
    questions: list[TestQuestion]
    score: int
    total: int
    verdict: str
    breakdown: list[ConceptScore]


def test_result(test: TestAttempt) -> TestResult:
    """A finished test's score, verdict and per-concept breakdown; weak concepts (any miss)
    point at the live modes that teach them."""
    assert test.finished_at is not None
    questions = list(test.questions.select_related("version__question"))
    tally: dict[str, list[int]] = {}
    for q in questions:
        for concept in q.version.concepts:
            right_total = tally.setdefault(concept, [0, 0])
            right_total[0] += bool(q.correct)
            right_total[1] += 1
    titles = {c["slug"]: c["title"] for c in test.pattern.concepts}
    teaching = test.pattern.teaching_modes()
    breakdown = [
        ConceptScore(
            slug=slug,
            title=titles.get(slug, slug),
            right=right,
            total=total,
            modes=[BY_SLUG[m] for m in teaching.get(slug, [])] if right < total else [],
        )
        for slug, (right, total) in sorted(tally.items(), key=lambda kv: kv[1][0] / kv[1][1])
    ]
    return TestResult(
        test=test,
        questions=questions,
        score=test.score,
        total=len(questions),
        verdict=verdict(test.score, len(questions)),
        breakdown=breakdown,
    )


@dataclass(frozen=True)
class TestSummary:
    test: TestAttempt
    total: int
    verdict: str  # "" until the test is finished


def past_tests(user, pattern: Pattern) -> list[TestSummary]:
    if not user.is_authenticated:
        return []
    tests = TestAttempt.objects.filter(learner=user, pattern=pattern)
    return [
        TestSummary(t, t.total, verdict(t.score, t.total) if t.finished_at else "")
        for t in tests.annotate(total=Count("questions"))
    ]
