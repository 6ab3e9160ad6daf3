"""A blocking call inside an async view, next to two ways of waiting that do not block.

`/blocking/` calls `time.sleep` inside `async def`; `/awaiting/` awaits `asyncio.sleep`;
`/offloaded/` runs the same `time.sleep` in a thread with `sync_to_async`; `/ping/` answers at
once, so it shows how long a trivial request waits for the event loop.
"""

import asyncio
import threading
import time

from asgiref.sync import sync_to_async
from django.http import HttpResponse
from django.urls import path


def _delay(request):
    """The ?delay= parameter, in seconds, kept between 0.1 and 3."""
    try:
        value = float(request.GET.get("delay", 1.0))
    except ValueError:
        value = 1.0
    return min(max(value, 0.1), 3.0)


async def blocking(request):
    delay = _delay(request)
    time.sleep(delay)  # blocks the event loop's thread: no other request can run
    return HttpResponse(f"blocked the loop for {delay} s")


async def awaiting(request):
    delay = _delay(request)
    await asyncio.sleep(delay)  # parks this request; the loop serves others
    return HttpResponse(f"awaited {delay} s")


async def offloaded(request):
    delay = _delay(request)
    thread = await sync_to_async(_sleep_in_thread)(delay)  # the loop stays free
    return HttpResponse(f"slept {delay} s on {thread}, off the event loop")


def _sleep_in_thread(delay):
    time.sleep(delay)
    return threading.current_thread().name


async def ping(request):
    return HttpResponse("pong")


urlpatterns = [
    path("blocking/", blocking),
    path("awaiting/", awaiting),
    path("offloaded/", offloaded),
    path("ping/", ping),
]
