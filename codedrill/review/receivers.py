from django.dispatch import receiver

from codedrill.accounts.signals import guest_merged, learner_data
from codedrill.review.models import ReviewItem


@receiver(guest_merged)
def move_review_items(sender, guest, user, **kwargs) -> None:
    """Where both have an item for the same card or question, the one with more ratings behind
    it is kept (the later one on a tie); the guest's leftovers go with the guest."""
    mine = {(i.flashcard_id, i.question_id): i for i in ReviewItem.objects.filter(learner=user)}
    for item in ReviewItem.objects.filter(learner=guest):
        kept = mine.get((item.flashcard_id, item.question_id))
        if kept is not None:
            if (kept.reps, kept.updated) >= (item.reps, item.updated):
                continue
            kept.delete()
        ReviewItem.objects.filter(pk=item.pk).update(learner=user)


@receiver(learner_data)
def export_review_items(sender, user, **kwargs) -> dict:
    items = ReviewItem.objects.filter(learner=user).select_related(
        "flashcard__pattern", "question__pattern"
    )
    return {
        "review_queue": [
            {
                "kind": item.kind,
                "id": str(item.target.uuid),
                "pattern": item.pattern.slug,
                "due": item.due.isoformat(),
                "reps": item.reps,
                "last_rating": item.last_rating,
                "fsrs": item.fsrs,
                "updated": item.updated.isoformat(),
            }
            for item in items.order_by("due", "pk")
        ]
    }
