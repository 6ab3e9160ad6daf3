from django.dispatch import receiver

from codedrill.accounts.signals import guest_merged, learner_data
from codedrill.learning.models import ModeProgress


@receiver(guest_merged)
def move_progress(sender, guest, user, **kwargs) -> None:
    for row in ModeProgress.objects.filter(learner=guest):
        ModeProgress.advance(user, row.pattern, row.mode, row.percent)


@receiver(learner_data)
def export_progress(sender, user, **kwargs) -> dict:
    rows = ModeProgress.objects.filter(learner=user).select_related("pattern")
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
        ]
    }
