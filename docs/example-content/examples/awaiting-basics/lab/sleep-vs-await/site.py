"""Two async views that wait `?delay=` seconds: one awaits, one blocks the event loop."""

import asyncio
import time

from django.http import HttpResponse
from django.urls import path


def _delay(request):
    """The ?delay= parameter in seconds, kept between 0.1 and 2."""
    try:
        value = float(request.GET.get("delay", 1.0))
    except ValueError:
        value = 1.0
    return min(max(value, 0.1), 2.0)


async def await_sleep(request):
    delay = _delay(request)
    await asyncio.sleep(delay)  # the event loop serves other requests meanwhile
    return HttpResponse(f"awaited {delay} s")


async def time_sleep(request):
    delay = _delay(request)
    time.sleep(delay)  # the event loop's thread stops here, for every request
    return HttpResponse(f"blocked {delay} s")


urlpatterns = [
    path("await-sleep/", await_sleep),
    path("time-sleep/", time_sleep),
]
