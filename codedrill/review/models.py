from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from codedrill.content.models import Flashcard, Question


class ReviewItem(models.Model):
    """One flashcard or missed question in a learner's spaced-review queue, with its FSRS state.

    A flashcard enters when the learner first rates it; a question when the learner misses it.
    """

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_items"
    )
    flashcard = models.ForeignKey(Flashcard, null=True, blank=True, on_delete=models.PROTECT)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.PROTECT)
    fsrs = models.JSONField(help_text="FSRS card state: fsrs.Card.to_dict().")
    due = models.DateTimeField(default=timezone.now)
    reps = models.PositiveIntegerField(default=0, help_text="Ratings given so far.")
    last_rating = models.CharField(max_length=5, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # NULLs never collide, so each constraint only binds items of its own kind.
            models.UniqueConstraint("learner", "flashcard", name="one_item_per_flashcard"),
            models.UniqueConstraint("learner", "question", name="one_item_per_question"),
            models.CheckConstraint(
                condition=Q(flashcard__isnull=False, question__isnull=True)
                | Q(flashcard__isnull=True, question__isnull=False),
                name="item_is_a_flashcard_or_a_question",
            ),
        ]
        indexes = [models.Index("learner", "due", name="review_item_due")]

    def __str__(self) -> str:
        return f"{self.learner} {self.kind} {self.target} due {self.due:%Y-%m-%d %H:%M}"

    @property
    def kind(self) -> str:
        return "card" if self.flashcard_id else "question"

    @property
    def target(self) -> Flashcard | Question:
        return self.flashcard if self.flashcard_id else self.question

    @property
    def pattern(self):
        return self.target.pattern

    @property
    def is_due(self) -> bool:
        return self.due <= timezone.now()
