from django.core.management.base import BaseCommand

from codedrill.lti.models import Grade
from codedrill.lti.passback import send


class Command(BaseCommand):
    help = (
        "Send again every result an LMS has not accepted yet (after it was down, or its "
        "registration was fixed). Safe to run from cron: a sent result is not sent twice."
    )

    def handle(self, *args, **options):
        unsent = Grade.objects.filter(sent=False, total__isnull=False).select_related(
            "placement__platform", "identity"
        )
        results = [send(grade) for grade in unsent if grade.placement.graded]
        self.stdout.write(f"Sent {sum(results)} of {len(results)} unsent result(s).")
