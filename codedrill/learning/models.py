from django.conf import settings
from django.db import models

from codedrill.content.models import Question, QuestionVersion, Trace


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
