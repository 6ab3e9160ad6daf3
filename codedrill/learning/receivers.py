from django.dispatch import receiver

from codedrill.accounts.signals import guest_merged, learner_data
from codedrill.learning.models import ModeProgress, QuestionProgress


@receiver(guest_merged)
def move_progress(sender, guest, user, **kwargs) -> None:
    for row in ModeProgress.objects.filter(learner=guest):
        ModeProgress.advance(user, row.pattern, row.mode, row.percent)
    # A question the account already worked on keeps the account's record.
    taken = set(QuestionProgress.objects.filter(learner=user).values_list("question", "mode"))
    for row in QuestionProgress.objects.filter(learner=guest):
        if (row.question_id, row.mode) not in taken:
            row.learner = user
            row.save(update_fields=["learner"])


@receiver(learner_data)
def export_progress(sender, user, **kwargs) -> dict:
    rows = ModeProgress.objects.filter(learner=user).select_related("pattern")
    answers = QuestionProgress.objects.filter(learner=user).select_related("question")
    return {
        "progress": [
            {
                "pattern": row.pattern.slug,
                "pattern_uuid": str(row.pattern.uuid),
                "mode": row.mode,
                "percent": row.percent,
                "updated": row.updated.isoformat(),
            }
            for row in rows
        ],
        "questions": [
            {
                "question_uuid": str(row.question.uuid),
                "question": row.question.slug,
                "mode": row.mode,
                "tries": row.tries,
                "correct": row.correct,
                "hint_shown": row.hint_shown,
                "last_answer": row.last_answer,
                "updated": row.updated.isoformat(),
            }
            for row in answers
        ],
    }
