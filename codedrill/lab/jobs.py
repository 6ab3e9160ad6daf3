"""What the lab's runs and project submissions share: one job queue (Django's tasks API), one
rate limit per learner, one way for a worker to claim a job and beat while it runs in the
sandbox, and one recovery for jobs whose worker died. A job is a model row with `status`
(queued, running, done, failed), `attempts`, `heartbeat`, `namespace`, `started`, `finished`
and `reason`; LabRun and ProjectSubmission are the two."""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


@dataclass
class Refused(Exception):
    """A job the rules do not allow now: `status` is the HTTP status that says so."""

    message: str
    status: int = 400
    retry_after: int | None = None  # seconds

    def __str__(self) -> str:
        return self.message


def check_rate(recent: models.QuerySet, limit: int, refusal: str, noun: str) -> None:
    """Refuse (429) when `recent`, a learner's jobs of the last hour, already holds `limit`."""
    if recent.count() < limit:
        return
    oldest = recent.order_by("created").values_list("created", flat=True).first()
    wait = max(1, int((oldest + timedelta(hours=1) - timezone.now()).total_seconds()))
    raise Refused(
        f"{refusal} Your next {noun} is possible in {max(1, round(wait / 60))} min.",
        status=429,
        retry_after=wait,
    )


def hour_ago():
    return timezone.now() - timedelta(hours=1)


def claim(model: type[models.Model], pk: int) -> bool:
    """Take a queued job for this worker: False if another took it, or it ended already."""
    with transaction.atomic():
        now = timezone.now()
        taken = model.objects.filter(pk=pk, status=QUEUED).update(
            status=RUNNING, started=now, heartbeat=now, attempts=models.F("attempts") + 1
        )
    return bool(taken)


def while_beating(model: type[models.Model], pk: int, work: Callable, beat: Callable[[], dict]):
    """Run `work()` in a thread and return what it returned (or raised): meanwhile the job's
    heartbeat, with `beat()`'s fields, tells recover_stalled() this worker lives."""
    ended: list = []

    def run() -> None:
        try:
            ended.append(work())
        except Exception as exc:  # noqa: BLE001 - handed back to the caller
            ended.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    while worker.is_alive():
        worker.join(0.5)
        model.objects.filter(pk=pk).update(heartbeat=timezone.now(), **beat())
    if isinstance(ended[0], Exception):
        raise ended[0]
    return ended[0]


def recover_stalled(model: type[models.Model], enqueue: Callable, reason: str, **reset) -> None:
    """Jobs whose worker died mid-run (killed, machine restarted): each gets one more try, then
    fails with `reason`. The sandbox took its processes along when the worker died."""
    stale = timezone.now() - timedelta(seconds=settings.LAB_STALE_SECONDS)
    for job in model.objects.filter(status=RUNNING, heartbeat__lt=stale):
        with transaction.atomic():
            claimed = model.objects.filter(pk=job.pk, status=RUNNING, heartbeat__lt=stale)
            if job.attempts < 2 and claimed.update(status=QUEUED, **reset):
                enqueue(model.objects.get(pk=job.pk))
            else:
                claimed.update(status=FAILED, finished=timezone.now(), reason=reason)
