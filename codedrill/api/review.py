"""The spaced-review queue: what is due, and rating a flashcard or a queued question."""

from typing import Any, Literal
from uuid import UUID

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from codedrill.api.core import api, write
from codedrill.content.models import Flashcard, Pattern, Question
from codedrill.quiz.answers import Shown, reveal, reveal_json
from codedrill.review import queue
from codedrill.review.models import ReviewItem

router = Router(tags=["review"])
api.add_router("/", router)


class RatingIn(Schema):
    rating: Literal[tuple(queue.RATINGS)]  # again, hard, good, easy


def _items_json(items: list[ReviewItem]) -> list[dict]:
    # Looked up once per pattern, however many of its questions are due.
    practise = {
        p.pk: queue.practise_modes(p) for p in {i.pattern for i in items if i.kind == "question"}
    }
    return [_item_json(item, practise) for item in items]


def _item_json(item: ReviewItem, practise: dict[int, list[str]]) -> dict:
    pattern = item.pattern
    data = {
        "kind": item.kind,
        "id": str(item.target.uuid),
        "pattern": pattern.slug,
        "due": item.due.isoformat(),
        "reps": item.reps,
        "last_rating": item.last_rating or None,
    }
    if item.kind == "card":
        data |= {"front": item.flashcard.front, "back": item.flashcard.back}
    else:
        # The whole question, as shown to answer it again; the key and solution come from
        # .../check once answered.
        data |= {
            "stem": item.question.current.stem,
            "question": Shown(item.question.current).as_json(),
            "practise": [
                reverse("mode", args=[pattern.slug, mode]) for mode in practise[pattern.pk]
            ],
        }
    return data


@router.get("/review/queue")
def review_queue(request: HttpRequest, pattern: str | None = None):
    """What is due now, soonest first: across patterns, or in one (`pattern` = its slug)."""
    scope = Pattern.objects.get_live(pattern) if pattern else None
    items = list(queue.due(request.user, scope))
    return {"due": len(items), "items": _items_json(items)}


def _rated(learner, target, rating: str) -> dict:
    try:
        item = queue.rate(learner, target, rating)
    except ReviewItem.DoesNotExist:
        raise Http404("This question is not in the review queue.") from None
    return _items_json([item])[0]


@router.post("/review/cards/{card}/rate", auth=write)
def rate_card(request: HttpRequest, card: UUID, body: RatingIn):
    """Rate how well you knew a flashcard; its first rating puts it in the queue."""
    flashcard = queue.rateable(Flashcard, card)
    return _rated(request.auth, flashcard, body.rating)


class AnswerIn(Schema):
    answer: Any = None


@router.post("/review/questions/{question}/check", auth=write)
def check_question(request: HttpRequest, question: UUID, body: AnswerIn):
    """Answer a missed question in the queue again, before rating it: whether it is right,
    and the solution. Nothing is stored."""
    target = queue.rateable(Question, question)
    answer, right = queue.check_missed(request.auth, target, body.answer)
    return {"correct": right, "solution": reveal_json(reveal(Shown(target.current), answer))}


@router.post("/review/questions/{question}/rate", auth=write)
def rate_question(request: HttpRequest, question: UUID, body: RatingIn):
    """Rate a missed question in the queue once you have practised it again."""
    target = queue.rateable(Question, question)
    return _rated(request.auth, target, body.rating)
