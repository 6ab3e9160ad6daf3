from django.core.management import call_command
from django.core.management.base import BaseCommand

from codedrill.lab import runs
from codedrill.projects import rules as projects


class Command(BaseCommand):
    help = (
        "Work the lab's queue: measure learners' live runs and run project submissions in the "
        "sandbox, one at a time. "
        "Start one per core; `codedrill serve` starts LAB_WORKERS of them itself."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--slot", type=int, default=None,
            help="this worker's number from 0: its runs are pinned to that core",
        )  # fmt: skip

    def handle(self, *args, slot: int | None, **options):
        runs.SLOT = slot
        runs.recover_stalled()  # jobs a dead worker left half done
        projects.recover_stalled()
        worker_id = f"lab-{slot}" if slot is not None else None
        extra = ["--worker-id", worker_id] if worker_id else []
        call_command("db_worker", "--interval", "0.5", "--no-startup-delay", *extra)
