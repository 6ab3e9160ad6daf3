"""Challenge and Test pages. Every decision is taken by `rules`; these views show its results."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from codedrill.accounts.learners import get_learner
from codedrill.attempts import rules
from codedrill.attempts.models import Challenge, ChallengeProblem, TestAttempt, TestQuestion
from codedrill.content.models import Pattern
from codedrill.quiz.answers import BadAnswer, Shown, from_form, reveal


def _start(request: HttpRequest, pattern: Pattern, start, first_page: str) -> HttpResponse:
    """POST on an intro page: a new attempt, then its first page."""
    try:
        attempt = start(get_learner(request), pattern)
    except rules.Refused as refused:
        messages.error(request, str(refused))
        return redirect(request.path)
    return redirect(first_page, pk=attempt.pk, n=1)


# --- Challenge -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def challenge_intro(request: HttpRequest, slug: str) -> HttpResponse:
    pattern = Pattern.objects.get_live(slug)
    if request.method == "POST":
        return _start(request, pattern, rules.start_challenge, "challenge-problem")
    context = {
        "pattern": pattern,
        "minutes": pattern.minutes.get("challenge", 0),
        "seconds": settings.CHALLENGE_SECONDS,
        "size": rules.CHALLENGE_SIZE,
        "max_attempts": rules.MAX_ATTEMPTS,
        "past": rules.past_challenges(request.user, pattern),
        "badge": rules.badge_for(request.user, pattern),
    }
    return render(request, "attempts/challenge.html", context)


def _problem_page(request: HttpRequest, challenge: Challenge, problem: ChallengeProblem):
    state = rules.problem_status(problem)
    shown = Shown(problem.version, problem.order)
    last = problem.answers[-1] if problem.answers else None
    n = problem.position
    context = {
        "pattern": challenge.pattern,
        "challenge": challenge,
        "problem": problem,
        "state": state,
        "max_attempts": rules.MAX_ATTEMPTS,
        "total": rules.CHALLENGE_SIZE,
        "shown": shown,
        # An open problem starts blank each time; a finished one shows the last answer.
        "form": shown.prefill(last if state.finished else None),
        "action": reverse("challenge-answer", args=[challenge.pk, n]),
        # Nothing of the key leaves the server before the problem is finished.
        "revealed": reveal(shown, last) if state.finished else None,
        "hint": rules.visible_hint(problem, state),
        "next": n + 1 if n < rules.CHALLENGE_SIZE else None,
    }
    return render(request, "attempts/problem.html", context)


@require_safe
def challenge_problem(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    challenge = rules.get_challenge(request.user, pk)
    problem = rules.show_problem(rules.get_problem(challenge, n))
    return _problem_page(request, challenge, problem)


# Both POSTs end in a redirect, refusals included (with their message): the problem page's
# countdown reloads it at zero, and a reloaded POST would ask to send the form again.


@require_POST
def challenge_answer(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    try:
        rules.answer_problem(request.user, pk, n, form=request.POST)
    except (BadAnswer, rules.Refused) as refused:
        messages.error(request, str(refused))
    return redirect("challenge-problem", pk=pk, n=n)


@require_POST
def challenge_hint(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    problem = rules.get_problem(rules.get_challenge(request.user, pk), n)
    try:
        rules.ask_hint(problem)
    except rules.Refused as refused:
        messages.error(request, str(refused))
    return redirect(reverse("challenge-problem", args=[pk, n]) + "#hint")


@require_safe
def challenge_results(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = rules.get_challenge(request.user, pk)
    context = {"pattern": challenge.pattern, "summary": rules.summarize(challenge)}
    return render(request, "attempts/challenge_results.html", context)


@require_safe
def badge_list(request: HttpRequest) -> HttpResponse:
    return render(request, "attempts/badges.html", {"badges": rules.badges(request.user)})


# --- Test ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def test_intro(request: HttpRequest, slug: str) -> HttpResponse:
    pattern = Pattern.objects.get_live(slug)
    if request.method == "POST":
        return _start(request, pattern, rules.start_test, "test-question")
    context = {
        "pattern": pattern,
        "minutes": pattern.minutes.get("test", 0),
        "mix": rules.TEST_MIX,
        "size": rules.TEST_SIZE,
        "past": rules.past_tests(request.user, pattern),
    }
    return render(request, "attempts/test.html", context)


def _question_page(
    request: HttpRequest, test: TestAttempt, question: TestQuestion, error="", status=200
) -> HttpResponse:
    shown = Shown(question.version, question.order)
    finished = test.finished_at is not None
    n, total = question.position, test.questions.count()
    context = {
        "pattern": test.pattern,
        "test": test,
        "question": question,
        "total": total,
        "shown": shown,
        "form": shown.prefill(question.answer),
        "action": reverse("test-answer", args=[test.pk, n]),
        "submit_label": "Save and go on" if n < total else "Save and review your answers",
        "finished": finished,
        # Feedback waits for the end of the test.
        "revealed": reveal(shown, question.answer) if finished else None,
        "previous": n - 1 if n > 1 else None,
        "next": n + 1 if n < total else None,
        "error": error,
    }
    return render(request, "attempts/test_question.html", context, status=status)


@require_safe
def test_question(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    test = rules.get_test(request.user, pk)
    return _question_page(request, test, rules.get_test_question(test, n))


@require_POST
def test_answer(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    test = rules.get_test(request.user, pk)
    question = rules.get_test_question(test, n)
    try:
        rules.answer_test_question(question, from_form(question.version, request.POST))
    except BadAnswer as bad:
        return _question_page(request, test, question, str(bad), status=400)
    except rules.Refused as refused:
        test.refresh_from_db()
        return _question_page(request, test, question, str(refused), status=409)
    messages.success(request, f"Answer to question {n} saved.")
    if n < test.questions.count():
        return redirect("test-question", pk=pk, n=n + 1)
    return redirect("test-results", pk=pk)


@require_safe
def test_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Before the finish: the answers so far and the Finish button. After: the result."""
    test = rules.get_test(request.user, pk)
    if test.finished_at is None:
        questions = list(test.questions.select_related("version"))
        context = {"pattern": test.pattern, "test": test, "questions": questions}
        return render(request, "attempts/test_overview.html", context)
    result = rules.test_result(test)
    solutions = [(q, reveal(Shown(q.version, q.order), q.answer)) for q in result.questions]
    context = {"pattern": test.pattern, "result": result, "solutions": solutions}
    return render(request, "attempts/test_results.html", context)


@require_POST
def test_finish(request: HttpRequest, pk: int) -> HttpResponse:
    rules.finish_test(rules.get_test(request.user, pk))
    return redirect("test-results", pk=pk)
