"""Waiting on I/O: an async view that awaits, and a sync view that sleeps.

The sleeps stand in for a call to another service: `asyncio.sleep` for an async HTTP client,
`time.sleep` for a sync one. Each response names the thread its view ran on.
"""

import asyncio
import threading
import time

from django.http import HttpResponse
from django.urls import path


def _delay(request):
    """The ?delay= parameter, in seconds, kept between 0.1 and 3."""
    try:
        value = float(request.GET.get("delay", 1.0))
    except ValueError:
        value = 1.0
    return min(max(value, 0.1), 3.0)


async def async_io(request):
    delay = _delay(request)
    await asyncio.sleep(delay)  # the event loop is free while this waits
    return HttpResponse(f"async view waited {delay} s on {threading.current_thread().name}")


def sync_io(request):
    delay = _delay(request)
    time.sleep(delay)  # this thread waits, doing nothing else
    return HttpResponse(f"sync view waited {delay} s on {threading.current_thread().name}")


urlpatterns = [
    path("async-io/", async_io),
    path("sync-io/", sync_io),
]
