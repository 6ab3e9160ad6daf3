"""The stem's change under one uvicorn worker: three reports that each compute for one second
of CPU time, once as a sync view and once as an async one, each batch followed 1 s later by
a health check. The facts compare the two runs with each other, so a busy machine, which
stretches both, does not change them; but the machine's load can change between the two
batches, so "sooner" means in half the time: the overlap the wrong option claims (all three
done after about 1 s, not 3 s) is a third, and a load that merely drifts stays well above
half (a 0.75 threshold was crossed once in CI, with the sync batch slowed by other work)."""

from codedrill.content.proofs import observe
from codedrill.lab.engine import Server, Site, run

SITE = """
import time

from django.http import HttpResponse
from django.urls import path


def crunch(seconds):
    deadline = time.thread_time() + seconds
    total = 0
    while time.thread_time() < deadline:
        for number in range(10_000):
            total += number * number


def sync_report(request):
    crunch(1.0)
    return HttpResponse("report")


async def async_report(request):
    crunch(1.0)
    return HttpResponse("report")


async def health(request):
    return HttpResponse("ok")


urlpatterns = [
    path("sync/", sync_report), path("async/", async_report), path("health/", health)
]
"""


def batch(path):
    """(the reports' last end, how many reports ended before the health check, statuses)."""
    result = run(Site(SITE), Server("uvicorn"), [path] * 3 + [("/health/", 1.0)])
    *reports, health = result.requests
    assert health.status == 200, result.stderr
    before = sum(r.end < health.end for r in reports)
    return max(r.end for r in reports), before, {r.status for r in reports}


sync_end, sync_before, _ = batch("/sync/")
async_end, async_before, statuses = batch("/async/")
# As a sync view the health check answered before any report was done.
assert sync_before == 0, sync_before
observe(
    reports_sooner=async_end < 0.5 * sync_end,
    health_check_waits=async_before >= 1,
    status=statuses.pop() if len(statuses) == 1 else sorted(statuses),
)
