from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.timesince import timeuntil
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from codedrill.accounts.learners import get_learner
from codedrill.content.markdown import unwrap_paragraph
from codedrill.content.models import Flashcard, Pattern, Question
from codedrill.content.modes import BY_SLUG
from codedrill.progress.models import ModeProgress
from codedrill.quiz.answers import BadAnswer, Shown, from_form, reveal
from codedrill.review import queue
from codedrill.review.models import ReviewItem

# The queue page shows this many due items at a time; rating one brings the next into view.
QUEUE_PAGE = 20


def _front(card: Flashcard) -> str:
    # <summary> takes phrasing content: a one-paragraph front goes in without its <p>.
    return mark_safe(unwrap_paragraph(card.front))  # noqa: S308 - sanitized at publish


# Where each request's CSRF token goes in a flashcard rendered once (content has no NUL).
CSRF_SLOT = "\x00csrf-token\x00"


def _rendered_cards(pattern: Pattern, cards: list[Flashcard]) -> tuple[str, ...]:
    """The flashcards as the Review page shows them, rendered once per published version
    (Pattern.published): nothing in them is the learner's but the rating form's CSRF token,
    rendered as CSRF_SLOT (a page of cards takes milliseconds to render)."""
    here = reverse("review-page", args=[pattern.slug])
    return tuple(
        render_to_string(
            "review/_card.html",
            {
                "card": card,
                "front": _front(card),
                # After rating, land on the following card, so the cards can be gone through
                # in turn.
                "after": here + (f"#card-{cards[n + 1].uuid}" if n + 1 < len(cards) else "#quiz"),
                "csrf_token": CSRF_SLOT,
            },
        )
        for n, card in enumerate(cards)
    )


@require_safe
def review_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Review mode: the cheat sheet, the flashcards with their schedule, the quick quiz."""
    pattern = Pattern.objects.get_live(slug)
    page = pattern.page("review")
    cards = pattern.live_cards()
    rendered = pattern.published("cards rendered", lambda: _rendered_cards(pattern, cards))
    quiz = len(pattern.pool("review"))
    if page is None and not cards and not quiz:
        raise Http404("This pattern has no Review yet.")
    scheduled = queue.scheduled_cards(request.user, pattern)
    token = get_token(request)
    rows = [
        {
            "html": mark_safe(rendered[n].replace(CSRF_SLOT, token)),  # noqa: S308 - rendered
            "item": scheduled.get(card.pk),
        }
        for n, card in enumerate(cards)
    ]
    context = {
        "pattern": pattern,
        "page": page,
        "mode": BY_SLUG["review"],
        "minutes": pattern.minutes.get("review", 0),
        "rows": rows,
        "rated": len(scheduled),
        "due": sum(1 for item in scheduled.values() if item.is_due),
        "quiz": quiz,
        "done": ModeProgress.is_done(request.user, pattern, "review"),
        "can_finish": "review" in pattern.live_modes(),
    }
    return render(request, "review/page.html", context)


@require_safe
def queue_page(request: HttpRequest) -> HttpResponse:
    """Everything due now, soonest first, patterns mixed: cards to flip and rate, missed
    questions to redo, each named with its pattern."""
    items = queue.due(request.user)
    total = items.count()
    cards = items.filter(flashcard__isnull=False).count() if total else 0
    practise: dict[int, list] = {}  # each pattern's modes to practise in, asked once
    entries, questions = [], 0
    for item in items[:QUEUE_PAGE]:
        pattern = item.pattern
        if pattern.pk not in practise:
            practise[pattern.pk] = [BY_SLUG[mode] for mode in queue.practise_modes(pattern)]
        entry = {"item": item, "pattern": pattern, "practise": practise[pattern.pk]}
        if item.kind == "card":
            entry |= {"card": item.flashcard, "front": _front(item.flashcard)}
        else:
            questions += 1
            entry |= {
                "shown": Shown(item.question.current),
                "action": reverse("review-question", args=[item.question.uuid]),
                "feedback_id": f"feedback-{item.pk}",
                "code_label": f"Code of missed question {questions}",
            }
        entries.append(entry)
    context = {
        "total": total,
        "cards": cards,
        "questions": total - cards,
        "entries": entries,
        "more": max(0, total - QUEUE_PAGE),
        "next_item": None if total else queue.next_due(request.user),
        "here": reverse("review-queue"),
    }
    return render(request, "review/queue.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def missed_question(request: HttpRequest, question: str) -> HttpResponse:
    """A missed question from the queue, whole: answer it (POST) or reveal the answer
    (?reveal=1), and only then rate it."""
    target = queue.rateable(Question, question)
    item = queue.missed_item(request.user, target)
    shown = Shown(target.current)
    answer, feedback, status = None, None, 200
    if request.method == "POST":
        try:
            answer, right = queue.check_missed(
                request.user, target, from_form(shown.version, request.POST)
            )
        except BadAnswer as bad:
            feedback, status = {"tone": "bad", "text": str(bad)}, 400
        else:
            text = "Correct." if right else "Not correct."
            feedback = {"tone": "ok" if right else "bad", "text": text}
    finished = answer is not None or "reveal" in request.GET
    shown.mark(answer, finished)
    context = {
        "item": item,
        "pattern": target.pattern,
        "shown": shown,
        "form": shown.prefill(answer),
        "feedback": feedback,
        "finished": finished,
        "revealed": reveal(shown, answer) if finished else None,
        "action": request.path,
        "here": reverse("review-queue"),
        "practise": [BY_SLUG[mode] for mode in queue.practise_modes(target.pattern)],
    }
    return render(request, "review/question.html", context, status=status)


def _rate(request: HttpRequest, target: Flashcard | Question, label: str) -> HttpResponse:
    rating = request.POST.get("rating", "")
    if rating not in queue.RATINGS:
        return HttpResponseBadRequest(
            "Rate with one of the buttons: Again, Hard, Good or Easy.", content_type="text/plain"
        )
    try:
        item = queue.rate(get_learner(request), target, rating)
    except ReviewItem.DoesNotExist:
        raise Http404("This question is not in your review queue.") from None
    when = "now" if item.is_due else f"in {timeuntil(item.due)}"
    messages.success(request, f"{label} rated {rating.capitalize()}: next review {when}.")
    after = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        after, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        after = reverse("review-queue")
    return redirect(after)


@require_POST
def rate_card(request: HttpRequest, card: str) -> HttpResponse:
    flashcard = queue.rateable(Flashcard, card)
    return _rate(request, flashcard, "Card")


@require_POST
def rate_question(request: HttpRequest, question: str) -> HttpResponse:
    target = queue.rateable(Question, question)
    return _rate(request, target, "Question")
