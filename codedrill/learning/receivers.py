from django.dispatch import receiver

from codedrill.accounts.signals import guest_merged, learner_data
from codedrill.learning import visualize
from codedrill.learning.models import QuestionProgress, TraceProgress


@receiver(guest_merged)
def move_question_progress(sender, guest, user, **kwargs) -> None:
    # A question the account already worked on keeps the account's record.
    taken = set(QuestionProgress.objects.filter(learner=user).values_list("question", "mode"))
    for row in QuestionProgress.objects.filter(learner=guest):
        if (row.question_id, row.mode) not in taken:
            row.learner = user
            row.save(update_fields=["learner"])


@receiver(learner_data)
def export_question_progress(sender, user, **kwargs) -> dict:
    answers = QuestionProgress.objects.filter(learner=user).select_related("question")
    return {
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


@receiver(guest_merged)
def move_trace_progress(sender, guest, user, **kwargs) -> None:
    """Visualize: a trace either worked on is stepped through if either did; the account's
    quiz answers stay and the guest's fill the questions the account left open."""
    mine = {row.trace_id: row for row in TraceProgress.objects.filter(learner=user)}
    patterns = set()
    for row in TraceProgress.objects.filter(learner=guest).select_related("trace__pattern"):
        kept = mine.get(row.trace_id)
        if kept is None:
            row.learner = user
            row.save(update_fields=["learner"])
        else:
            kept.finished = kept.finished or row.finished
            kept.answers = {**row.answers, **kept.answers}
            kept.save(update_fields=["finished", "answers", "updated"])
        patterns.add(row.trace.pattern)
    # Together the two may have done more of the mode than either alone.
    for pattern in patterns:
        visualize.record_progress(user, pattern)


@receiver(learner_data)
def export_trace_progress(sender, user, **kwargs) -> dict:
    rows = TraceProgress.objects.filter(learner=user).select_related("trace__pattern")
    return {
        "visualize": [
            {
                "pattern": row.trace.pattern.slug,
                "trace_uuid": str(row.trace.uuid),
                "trace": row.trace.slug,
                "finished": row.finished,
                "answers": row.answers,
                "updated": row.updated.isoformat(),
            }
            for row in rows
        ]
    }
