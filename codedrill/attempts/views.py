"""Challenge and Test pages. Every decision is taken by `rules`; these views show its results."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from codedrill.accounts.learners import get_learner
from codedrill.attempts import credentials, rules
from codedrill.attempts.models import (
    Badge,
    Challenge,
    ChallengeProblem,
    TestAttempt,
    TestQuestion,
)
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
    past = rules.past_challenges(request.user, pattern)
    current = next((summary for summary in past if not summary.finished), None)
    resume = None
    if current is not None:
        # The first problem still open (the page starts its clock when shown).
        resume = next(p.position for p, status in current.problems if not status.finished)
    context = {
        "pattern": pattern,
        "minutes": pattern.minutes.get("challenge", 0),
        "seconds": settings.CHALLENGE_SECONDS,
        "size": rules.CHALLENGE_SIZE,
        "max_attempts": rules.MAX_ATTEMPTS,
        "past": past,
        "current": current,
        "resume": resume,
        "lineup": rules.lineup(pattern),
        "pool_size": len(pattern.pool("challenge")),
        "badge": rules.badge_for(request.user, pattern),
    }
    return render(request, "attempts/challenge.html", context)


# What the feedback says about a problem, by outcome; the status bar says why it finished.
PROBLEM_FEEDBACK = {
    rules.RIGHT: ("ok", "Correct."),
    rules.OUT_OF_ATTEMPTS: ("bad", "Not correct, and both attempts are used."),
    rules.OUT_OF_TIME: ("bad", "Time is up for this problem."),
}


def _problem_feedback(state: rules.ProblemStatus) -> dict | None:
    if state.outcome:
        tone, text = PROBLEM_FEEDBACK[state.outcome]
        if state.outcome == rules.RIGHT and state.attempts_used > 1:
            text = "Correct, on the second attempt."
        return {"tone": tone, "text": text}
    if state.attempts_used:
        return {"tone": "bad", "text": "Not correct. You have one more attempt."}
    return None


def _problem_page(request: HttpRequest, challenge: Challenge, problem: ChallengeProblem):
    state = rules.problem_status(problem)
    last = problem.answers[-1] if problem.answers else None
    shown = Shown(problem.version, problem.order).mark(last, state.finished)
    n = problem.position
    context = {
        "pattern": challenge.pattern,
        "challenge": challenge,
        "problem": problem,
        "state": state,
        "max_attempts": rules.MAX_ATTEMPTS,
        "total": rules.CHALLENGE_SIZE,
        "shown": shown,
        # The last answer stays chosen, so a second attempt starts from the first one's picks.
        "form": shown.prefill(last),
        "feedback": _problem_feedback(state),
        "action": reverse("challenge-answer", args=[challenge.pk, n]),
        # Nothing of the key leaves the server before the problem is finished.
        "revealed": reveal(shown, last) if state.finished else None,
        "hint": rules.visible_hint(problem, state),
        # The moment the badge is earned: on the problem whose right answer earned it.
        "badge": rules.badge_of(challenge) if state.correct else None,
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
    context = {
        "pattern": challenge.pattern,
        "summary": rules.summarize(challenge),
        "max_attempts": rules.MAX_ATTEMPTS,
    }
    return render(request, "attempts/challenge_results.html", context)


@require_safe
def badge_list(request: HttpRequest) -> HttpResponse:
    return render(request, "attempts/badges.html", {"badges": rules.badges(request.user)})


@require_safe
def badge_credential(request: HttpRequest, uuid) -> HttpResponse:
    """The learner's own badge as a signed Open Badges 3.0 credential, to download."""
    if not request.user.is_authenticated:
        raise Http404("No such badge.")
    badge = get_object_or_404(
        Badge.objects.select_related("pattern"), uuid=uuid, learner=request.user
    )
    token = credentials.issue(badge, request.build_absolute_uri("/"))
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="{badge.pattern.slug}-badge.jwt"'
    return response


# Verifying reads a credential and records nothing, so it needs no CSRF token: other sites
# and tools may post credentials here to check them.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def badge_verify(request: HttpRequest) -> HttpResponse:
    """Anyone checks a credential: its signature is the site's, and its badge is still held."""
    if request.method == "GET":
        return render(request, "attempts/verify.html")
    try:
        vc, badge = credentials.verify(request.POST.get("credential", ""))
    except credentials.Refused as refusal:
        return render(request, "attempts/verify.html", {"refused": str(refusal)}, status=400)
    return render(request, "attempts/verify.html", {"vc": vc, "badge": badge})


@require_safe
def badge_issuer_key(request: HttpRequest) -> JsonResponse:
    return JsonResponse(credentials.public_jwks())


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
    finished = test.finished_at is not None
    # Feedback waits for the end of the test; so do the marks.
    shown = Shown(question.version, question.order).mark(question.answer, finished)
    n, total = question.position, test.questions.count()
    feedback = {"tone": "bad", "text": error} if error else None
    if finished and not error:
        right = bool(question.correct)
        feedback = {
            "tone": "ok" if right else "bad",
            "text": "Correct." if right else "Not correct.",
        }
        if question.answer is None:
            feedback["text"] = "Not answered."
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
        "feedback": feedback,
        "revealed": reveal(shown, question.answer) if finished else None,
        "previous": n - 1 if n > 1 else None,
        "next": n + 1 if n < total else None,
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
    solutions = []
    for q in result.questions:
        shown = Shown(q.version, q.order)
        answer = shown.describe(q.answer) if q.answer is not None else None
        solutions.append((q, answer, reveal(shown, q.answer)))
    context = {"pattern": test.pattern, "result": result, "solutions": solutions}
    return render(request, "attempts/test_results.html", context)


@require_POST
def test_finish(request: HttpRequest, pk: int) -> HttpResponse:
    rules.finish_test(rules.get_test(request.user, pk))
    return redirect("test-results", pk=pk)
