from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from django.utils import timezone

from codedrill.accounts.models import Session, User


class Command(BaseCommand):
    help = "Delete expired sessions, then guests no live session belongs to (run it daily)."

    def handle(self, *args, **options):
        now = timezone.now()
        Session.objects.filter(expire_date__lte=now).delete()
        # A guest created in the last hour may not have its session committed yet.
        stale = User.objects.filter(is_guest=True, date_joined__lt=now - timedelta(hours=1))
        orphans = list(
            stale.filter(~Exists(Session.objects.filter(user=OuterRef("pk")))).values_list(
                "pk", flat=True
            )
        )
        deleted = 0
        for start in range(0, len(orphans), 500):
            deleted += (
                User.objects.filter(pk__in=orphans[start : start + 500])
                .delete()[1]
                .get("accounts.User", 0)
            )
        self.stdout.write(f"Deleted {deleted} guest(s) without a live session.")
