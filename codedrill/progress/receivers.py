from django.dispatch import receiver

from codedrill.accounts.signals import guest_merged, learner_data
from codedrill.progress.models import ConceptProgress, ModeProgress


@receiver(guest_merged)
def move_progress(sender, guest, user, **kwargs) -> None:
    """The account keeps the further completion and the better result of the two; concept
    tallies add up (they count answers, and each answer was given once)."""
    for row in ModeProgress.objects.filter(learner=guest):
        ModeProgress.advance(user, row.pattern_id, row.mode, row.percent)
        if row.best_total:
            ModeProgress.record_result(
                user, row.pattern_id, row.mode, row.best_right, row.best_total
            )
    for row in ConceptProgress.objects.filter(learner=guest):
        ConceptProgress.record(user, row.pattern_id, [row.concept], True, row.right)
        ConceptProgress.record(user, row.pattern_id, [row.concept], False, row.missed)


@receiver(learner_data)
def export_progress(sender, user, **kwargs) -> dict:
    modes = ModeProgress.objects.filter(learner=user).select_related("pattern")
    concepts = ConceptProgress.objects.filter(learner=user).select_related("pattern")
    return {
        "progress": [
            {
                "pattern": row.pattern.slug,
                "pattern_uuid": str(row.pattern.uuid),
                "mode": row.mode,
                "percent": row.percent,
                "best_right": row.best_right,
                "best_total": row.best_total,
                "updated": row.updated.isoformat(),
            }
            for row in modes
        ],
        "concepts": [
            {
                "pattern": row.pattern.slug,
                "concept": row.concept,
                "right": row.right,
                "missed": row.missed,
                "updated": row.updated.isoformat(),
            }
            for row in concepts
        ],
    }
