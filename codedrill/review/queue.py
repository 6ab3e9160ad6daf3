"""The spaced-review queue (FSRS): flashcards a learner rated and questions they missed.

The one home of the queue's rules; the pages and the API call these.
"""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from codedrill.content.models import Flashcard, Pattern, Question
from codedrill.prepared import Param, Prepared
from codedrill.quiz.answers import is_correct, parse
from codedrill.review.models import ReviewItem

RATINGS = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
# FSRS's default parameters for everyone; its fuzzing keeps cards learned together from all
# falling due on the same day.
_SCHEDULER = Scheduler()

_LIVE = Q(flashcard__is_active=True, flashcard__pattern__is_active=True) | Q(
    question__is_active=True, question__pattern__is_active=True
)


def rateable(model: type[Flashcard] | type[Question], uuid) -> Flashcard | Question:
    """A live flashcard or question by its UUID, or 404."""
    return get_object_or_404(model, uuid=uuid, is_active=True, pattern__is_active=True)


class BadRating(ValueError):
    """A rating that is not one of RATINGS."""


def _new_state(now) -> dict:
    return Card(due=now).to_dict()


def add_missed(learner, question: Question) -> ReviewItem:
    """Put a missed question in the learner's queue, due now. A question is queued once; missing
    it again makes it due now again, whatever it was scheduled for."""
    now = timezone.now()
    item, created = ReviewItem.objects.get_or_create(
        learner=learner, question=question, defaults={"fsrs": _new_state(now), "due": now}
    )
    if not created and item.due > now:
        ReviewItem.objects.filter(pk=item.pk).update(due=now)
        item.due = now
    return item


def missed_item(learner, question: Question) -> ReviewItem:
    """The learner's queue item for a missed question, or 404: only a queued question can be
    answered again here."""
    if not learner.is_authenticated:
        raise Http404("This question is not in your review queue.")
    return get_object_or_404(ReviewItem, learner=learner, question=question)


def check_missed(learner, question: Question, raw) -> tuple[object, bool]:
    """Answer a missed question again, before rating it: the canonical answer and whether it
    is right (BadAnswer if malformed). Nothing is stored; the rating is the record."""
    missed_item(learner, question)
    answer = parse(question.current, raw)
    return answer, is_correct(question.current, answer)


def rate(learner, target: Flashcard | Question, rating: str) -> ReviewItem:
    """Schedule `target`'s next review from the learner's rating of how well they knew it.

    Any live flashcard can be rated (its first rating puts it in the queue); a question only
    once it is queued (ReviewItem.DoesNotExist otherwise). BadRating for an unknown rating.
    """
    if rating not in RATINGS:
        raise BadRating(f"Rate with one of: {', '.join(RATINGS)}.")
    kind = "flashcard" if isinstance(target, Flashcard) else "question"
    with transaction.atomic():
        if kind == "flashcard":
            now = timezone.now()
            ReviewItem.objects.get_or_create(
                learner=learner, flashcard=target, defaults={"fsrs": _new_state(now), "due": now}
            )
        # Locked, so two ratings sent at once are applied one after the other.
        item = ReviewItem.objects.select_for_update().get(learner=learner, **{kind: target})
        card, _log = _SCHEDULER.review_card(Card.from_dict(item.fsrs), RATINGS[rating])
        item.fsrs = card.to_dict()
        item.due = card.due
        item.reps += 1
        item.last_rating = rating
        item.save()
    return item


def _items(learner) -> QuerySet[ReviewItem]:
    if not learner.is_authenticated:
        return ReviewItem.objects.none()
    related = ("flashcard__pattern", "question__pattern", "question__current")
    return ReviewItem.objects.filter(_LIVE, learner=learner).select_related(*related)


def due(learner, pattern: Pattern | None = None) -> QuerySet[ReviewItem]:
    """The learner's items due now, soonest first, across patterns or in one; retired content
    leaves the queue with it."""
    items = _items(learner).filter(due__lte=timezone.now())
    if pattern is not None:
        items = items.filter(Q(flashcard__pattern=pattern) | Q(question__pattern=pattern))
    return items.order_by("due", "pk")


def due_today(learner) -> int:
    """How many of the learner's items fall due by the end of today (server time), due now
    included."""
    end = timezone.localtime().replace(hour=23, minute=59, second=59, microsecond=999999)
    return _items(learner).filter(due__lte=end).count()


def next_due(learner) -> ReviewItem | None:
    """The item that falls due next, once nothing is due now."""
    return _items(learner).filter(due__gt=timezone.now()).order_by("due", "pk").first()


def practise_modes(pattern: Pattern) -> list[str]:
    """The modes where a missed question's topic can be practised again, untimed."""
    live = pattern.live_modes()
    return [mode for mode in ("practice", "review") if mode in live]


# Read by every Review page: compiled once (codedrill.prepared).
_SCHEDULED = Prepared(
    lambda: ReviewItem.objects.filter(
        learner_id=Param("learner"),
        flashcard__pattern_id=Param("pattern"),
        flashcard__is_active=True,
    )
)


def scheduled_cards(learner, pattern: Pattern) -> dict[int, ReviewItem]:
    """The learner's queue items for the pattern's live flashcards, by flashcard id (unrated
    cards absent)."""
    if not learner.is_authenticated:
        return {}
    items = _SCHEDULED.all(learner=learner.pk, pattern=pattern.pk)
    return {item.flashcard_id: item for item in items}
