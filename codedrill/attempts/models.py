"""Challenge and Test attempts, and badges. The rules that change these rows live in `rules`."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from codedrill.content.models import Pattern, QuestionVersion


class Challenge(models.Model):
    """One run through a pattern's Challenge: five problems against the clock."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenges"
    )
    pattern = models.ForeignKey(Pattern, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(
        null=True, blank=True, help_text="Set once every problem is finished (rules.settle)."
    )

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Challenge {self.pk} of {self.learner} on {self.pattern.slug}"


class ChallengeProblem(models.Model):
    """One problem of a challenge, as shown: the version, its option order and its clock."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="problems")
    position = models.PositiveSmallIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    order = models.JSONField(default=list, help_text="Option ids in the order shown.")
    # Both set once, when the problem is first shown; the deadline is the clock.
    shown_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=list, help_text="Canonical answers, one per attempt.")
    correct = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True, help_text="The last attempt.")
    hint_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint("challenge", "position", name="one_problem_per_position")
        ]

    def __str__(self) -> str:
        return f"Problem {self.position} of challenge {self.challenge_id}"


class TestAttempt(models.Model):
    """One sitting of a pattern's Test: ten questions, judged only when finished."""

    __test__ = False  # a model, not a pytest test class

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tests"
    )
    pattern = models.ForeignKey(Pattern, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Test {self.pk} of {self.learner} on {self.pattern.slug}"


class TestQuestion(models.Model):
    __test__ = False  # a model, not a pytest test class

    test = models.ForeignKey(TestAttempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    order = models.JSONField(default=list, help_text="Option ids in the order shown.")
    answer = models.JSONField(null=True, blank=True, help_text="Canonical; null if unanswered.")
    answered_at = models.DateTimeField(null=True, blank=True)
    correct = models.BooleanField(null=True, blank=True, help_text="Set when the test finishes.")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint("test", "position", name="one_test_question_per_position")
        ]

    def __str__(self) -> str:
        return f"Question {self.position} of test {self.test_id}"


class Badge(models.Model):
    """Earned by getting every problem of a pattern's Challenge right; once per pattern."""

    # The public id of the badge's verifiable credential (credentials.py): unguessable, unlike pk.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges"
    )
    pattern = models.ForeignKey(Pattern, on_delete=models.PROTECT, related_name="+")
    earned_at = models.DateTimeField(default=timezone.now)
    challenge = models.ForeignKey(
        Challenge, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-earned_at"]
        constraints = [models.UniqueConstraint("learner", "pattern", name="one_badge_per_pattern")]

    def __str__(self) -> str:
        return f"{self.pattern.badge} for {self.learner}"
