"""Challenge and Test over JSON. The same `attempts.rules` as the pages decide everything.

Writes that start an attempt take the learner from `write` (session + CSRF; a new visitor
becomes a guest); reads, and writes to an attempt, take the session's learner (a visitor has
no attempt, so never becomes a guest there), and any attempt that is not theirs is 404.
"""

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Router, Schema, Status

from codedrill.api.core import AnswerIn, api, write
from codedrill.attempts import rules
from codedrill.attempts.models import Challenge, ChallengeProblem, TestAttempt, TestQuestion
from codedrill.content.models import Pattern
from codedrill.quiz.answers import Shown, reveal, reveal_json

router = Router(tags=["attempts"])


@api.exception_handler(rules.Refused)
def refused(request, exc: rules.Refused):
    # Well-formed, but against the rules now (time up, finished): a conflict, nothing recorded.
    return api.create_response(request, {"detail": str(exc)}, status=409)


class Detail(Schema):
    detail: str


# A refused request: 400 malformed, 404 not the learner's attempt, 409 against the rules now.
REFUSALS = {400: Detail, 404: Detail, 409: Detail}


class Option(Schema):
    id: str
    letter: str
    html: str
    blank: str | None = None


class Mistake(Schema):
    option: str
    why: str


class Solution(Schema):
    correct: bool | None
    key: Any
    final_answer: str
    quick_check: str
    steps: list[str]
    mistakes: list[Mistake]
    completed_code: str
    hint: str


class QuestionOut(Schema):
    """A question as shown to this learner; no key, hint or solution."""

    n: int
    total: int
    id: str
    kind: str
    difficulty: str
    category: str
    concepts: list[str]
    setup: str
    stem: str
    code: str
    blanks: list[str]
    options: list[Option]
    finished: bool
    correct: bool | None
    solution: Solution | None


class ProblemStateOut(Schema):
    started: bool
    finished: bool
    correct: bool
    outcome: str
    attempts_used: int
    attempts_left: int
    deadline: datetime | None
    remaining: int | None


class ProblemOut(ProblemStateOut, QuestionOut):
    hint: str | None


class ProblemSummary(ProblemStateOut):
    n: int
    category: str
    difficulty: str
    time_used: float | None
    hint_asked: bool


class ChallengeOut(Schema):
    id: int
    pattern: str
    started_at: datetime
    finished: bool
    score: int
    total: int
    badge: bool
    problems: list[ProblemSummary]


class Judged(Schema):
    correct: bool
    attempts_used: int
    attempts_left: int
    finished: bool
    outcome: str
    deadline: datetime | None
    solution: Solution | None


class HintOut(Schema):
    hint: str


class TestOut(Schema):
    id: int
    pattern: str
    started_at: datetime
    finished: bool
    total: int
    answered: int
    score: int | None


class TestQuestionOut(QuestionOut):
    answer: Any


class Saved(Schema):
    n: int
    answer: Any


class ModeLink(Schema):
    mode: str
    title: str
    url: str


class ConceptOut(Schema):
    concept: str
    title: str
    right: int
    total: int
    modes: list[ModeLink]


class TestResultOut(Schema):
    id: int
    finished_at: datetime
    score: int
    total: int
    verdict: str
    breakdown: list[ConceptOut]
    questions: list[TestQuestionOut]


def _question(
    n: int, total: int, shown: Shown, answer, finished: bool, correct: bool | None
) -> dict:
    """The shared question fields; the solution only once the question is finished."""
    solution = reveal_json(reveal(shown, answer)) if finished else None
    return {
        "n": n,
        "total": total,
        **shown.as_json(),
        "finished": finished,
        "correct": correct,
        "solution": solution,
    }


def _state(status: rules.ProblemStatus, problem: ChallengeProblem) -> dict:
    return {
        "started": status.started,
        "finished": status.finished,
        "correct": status.correct,
        "outcome": status.outcome,
        "attempts_used": status.attempts_used,
        "attempts_left": status.attempts_left,
        "deadline": problem.deadline,
        "remaining": status.remaining,
    }


def _challenge(challenge: Challenge) -> dict:
    summary = rules.summarize(challenge)
    return {
        "id": challenge.pk,
        "pattern": challenge.pattern.slug,
        "started_at": challenge.started_at,
        "finished": summary.finished,
        "score": summary.score,
        "total": len(summary.problems),
        "badge": summary.badge,
        "problems": [
            {
                "n": problem.position,
                "category": problem.version.category,
                "difficulty": problem.version.difficulty,
                **_state(status, problem),
                "time_used": status.time_used.total_seconds() if status.time_used else None,
                "hint_asked": problem.hint_at is not None,
            }
            for problem, status in summary.problems
        ],
    }


def _problem(problem: ChallengeProblem) -> dict:
    status = rules.problem_status(problem)
    shown = Shown(problem.version, problem.order)
    last = problem.answers[-1] if problem.answers else None
    question = _question(
        problem.position, rules.CHALLENGE_SIZE, shown, last, status.finished, status.correct
    )
    return {**question, **_state(status, problem), "hint": rules.visible_hint(problem, status)}


@router.post(
    "/patterns/{slug}/challenges", auth=write, response={201: ChallengeOut}, url_name="challenges"
)
def start_challenge(request, slug: str):
    """Start a new Challenge of the pattern: five problems, each on its own clock."""
    challenge = rules.start_challenge(request.auth, Pattern.objects.get_live(slug))
    return Status(201, _challenge(challenge))


@router.get("/challenges/{int:id}", response=ChallengeOut)
def challenge(request, id: int):
    """A challenge's problems, score and whether it is finished."""
    return _challenge(rules.get_challenge(request.user, id))


@router.get("/challenges/{int:id}/problems/{int:n}", response=ProblemOut)
def problem(request, id: int, n: int):
    """Problem n (1–5). The first request starts its clock; the solution comes once finished."""
    challenge = rules.get_challenge(request.user, id)
    return _problem(rules.show_problem(rules.get_problem(challenge, n)))


@router.post(
    "/challenges/{int:id}/problems/{int:n}/answer", auth=write, response={200: Judged, **REFUSALS}
)
def answer_problem(request, id: int, n: int, body: AnswerIn):
    """One attempt. 400: malformed, uses nothing; 409: time is up or the problem is finished,
    uses nothing; the same answer again returns the recorded result."""
    judged = rules.answer_problem(request.user, id, n, body.answer)
    status, problem = judged.status, judged.problem
    solution = None
    if status.finished:
        solution = reveal_json(reveal(Shown(problem.version, problem.order), judged.answer))
    return {
        "correct": judged.correct,
        "attempts_used": status.attempts_used,
        "attempts_left": status.attempts_left,
        "finished": status.finished,
        "outcome": status.outcome,
        "deadline": problem.deadline,
        "solution": solution,
    }


@router.post(
    "/challenges/{int:id}/problems/{int:n}/hint", auth=write, response={200: HintOut, **REFUSALS}
)
def hint(request, id: int, n: int):
    """The problem's hint; asking is recorded and shown on the results."""
    problem = rules.get_problem(rules.get_challenge(request.user, id), n)
    return {"hint": rules.ask_hint(problem)}


def _test(test: TestAttempt) -> dict:
    questions = list(test.questions.all())
    return {
        "id": test.pk,
        "pattern": test.pattern.slug,
        "started_at": test.started_at,
        "finished": test.finished_at is not None,
        "total": len(questions),
        "answered": sum(q.answer is not None for q in questions),
        "score": test.score,
    }


def _test_question(test: TestAttempt, question: TestQuestion, total: int) -> dict:
    shown = Shown(question.version, question.order)
    finished = test.finished_at is not None
    fields = _question(question.position, total, shown, question.answer, finished, question.correct)
    return {**fields, "answer": question.answer}


@router.post("/patterns/{slug}/tests", auth=write, response={201: TestOut}, url_name="tests")
def start_test(request, slug: str):
    """Start a new Test of the pattern: ten questions, feedback when it is finished."""
    test = rules.start_test(request.auth, Pattern.objects.get_live(slug))
    return Status(201, _test(test))


@router.get("/tests/{int:id}", response=TestOut)
def test(request, id: int):
    return _test(rules.get_test(request.user, id))


@router.get("/tests/{int:id}/questions/{int:n}", response=TestQuestionOut)
def test_question(request, id: int, n: int):
    """Question n with the answer saved so far; its solution only once the test is finished."""
    test = rules.get_test(request.user, id)
    return _test_question(test, rules.get_test_question(test, n), test.questions.count())


@router.post(
    "/tests/{int:id}/questions/{int:n}/answer", auth=write, response={200: Saved, **REFUSALS}
)
def answer_test_question(request, id: int, n: int, body: AnswerIn):
    """Save or change the answer to question n. 409 once the test is finished."""
    question = rules.get_test_question(rules.get_test(request.user, id), n)
    return {"n": n, "answer": rules.answer_test_question(question, body.answer)}


@router.post("/tests/{int:id}/finish", auth=write, response=TestResultOut)
def finish_test(request, id: int):
    """Finish the test (once: finishing again returns the same result): the score, verdict,
    per-concept breakdown and every question with its solution."""
    return _result(rules.finish_test(rules.get_test(request.user, id)))


@router.get("/tests/{int:id}/result", response={200: TestResultOut, **REFUSALS})
def test_result(request, id: int):
    """A finished test's result; 409 before it is finished."""
    test = rules.get_test(request.user, id)
    if test.finished_at is None:
        raise rules.Refused("This test is not finished yet: finish it to see the result.")
    return _result(test)


def _result(test: TestAttempt) -> dict:
    result = rules.test_result(test)
    return {
        "id": test.pk,
        "finished_at": test.finished_at,
        "score": result.score,
        "total": result.total,
        "verdict": result.verdict,
        "breakdown": [
            {
                "concept": concept.slug,
                "title": concept.title,
                "right": concept.right,
                "total": concept.total,
                "modes": [
                    {
                        "mode": mode.slug,
                        "title": mode.title,
                        "url": reverse("mode", args=[test.pattern.slug, mode.slug]),
                    }
                    for mode in concept.modes
                ],
            }
            for concept in result.breakdown
        ],
        "questions": [_test_question(test, q, result.total) for q in result.questions],
    }


api.add_router("/", router)
