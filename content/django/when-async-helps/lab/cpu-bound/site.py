"""CPU-bound work in an async view and in a sync view, plus a fast endpoint.

The work is plain Python arithmetic that runs until its thread has used ?work= seconds of CPU
time, so it takes the same amount of computing on any machine.
"""

import threading
import time

from django.http import HttpResponse
from django.urls import path


def _work(request):
    """The ?work= parameter, in seconds of CPU time, kept between 0.1 and 2."""
    try:
        value = float(request.GET.get("work", 1.0))
    except ValueError:
        value = 1.0
    return min(max(value, 0.1), 2.0)


def crunch(seconds):
    """Add up squares until this thread has spent `seconds` of CPU time; return the rounds."""
    deadline = time.thread_time() + seconds
    rounds = total = 0
    while time.thread_time() < deadline:
        for number in range(10_000):
            total += number * number
        rounds += 1
    return rounds


async def async_cpu(request):
    work = _work(request)
    rounds = crunch(work)  # no await anywhere: the event loop is held until this returns
    name = threading.current_thread().name
    return HttpResponse(f"async view: {rounds} rounds, {work} s of CPU on {name}")


def sync_cpu(request):
    work = _work(request)
    rounds = crunch(work)
    name = threading.current_thread().name
    return HttpResponse(f"sync view: {rounds} rounds, {work} s of CPU on {name}")


async def fast(request):
    return HttpResponse("fast")


urlpatterns = [
    path("async-cpu/", async_cpu),
    path("sync-cpu/", sync_cpu),
    path("fast/", fast),
]
