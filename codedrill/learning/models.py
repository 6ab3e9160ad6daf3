from django.conf import settings
from django.db import models

from codedrill.content.models import Pattern, Question, QuestionVersion, Trace


class ModeProgress(models.Model):
    """How far a learner is in one mode of one pattern (0–100)."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mode_progress"
    )
    pattern = models.ForeignKey(Pattern, on_delete=models.PROTECT)
    mode = models.SlugField()
    percent = models.PositiveSmallIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("learner", "pattern", "mode", name="one_progress_per_mode")
        ]

    def __str__(self) -> str:
        return f"{self.learner} {self.pattern.slug}/{self.mode} {self.percent}%"

    @classmethod
    def advance(cls, learner, pattern, mode: str, percent: int) -> None:
        """Raise progress to `percent`; progress never goes back. Learner and pattern may be
        given as objects or ids."""
        ids = {
            "learner_id": getattr(learner, "pk", learner),
            "pattern_id": getattr(pattern, "pk", pattern),
        }
        key = {**ids, "mode": mode}
        rows = cls.objects.filter(**key)
        if not rows.filter(percent__lt=percent).update(percent=percent):
            cls.objects.get_or_create(**key, defaults={"percent": percent})

    @classmethod
    def for_pattern(cls, learner, pattern: Pattern) -> dict[str, int]:
        if not learner.is_authenticated:
            return {}
        rows = cls.objects.filter(learner=learner, pattern=pattern)
        return dict(rows.values_list("mode", "percent"))


class QuestionProgress(models.Model):
    """A learner's work on one question in an untimed mode (Try, Practice, Review's quiz).

    Points at the version last answered, so what was judged stays what was shown."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_progress"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT)
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, null=True)
    mode = models.SlugField()
    tries = models.PositiveSmallIntegerField(default=0)
    correct = models.BooleanField(default=False, help_text="Answered right at least once.")
    hint_shown = models.BooleanField(default=False)
    last_answer = models.JSONField(null=True, blank=True)
    last_correct = models.BooleanField(null=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "learner", "question", "mode", name="one_progress_per_question_and_mode"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} {self.mode}/{self.question.slug}: {self.tries} tries"


class TraceProgress(models.Model):
    """A learner's work on one Visualize trace: stepped through to the end, and the quiz."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trace_progress"
    )
    trace = models.ForeignKey(Trace, on_delete=models.PROTECT)
    finished = models.BooleanField(default=False, help_text="Stepped through to the last step.")
    answers = models.JSONField(
        default=dict, help_text="{quiz item id: {choice, correct}}; a first answer is final."
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint("learner", "trace", name="one_progress_per_trace")]

    def __str__(self) -> str:
        return f"{self.learner} {self.trace.slug}: {len(self.answers)} answered"
