"""A missing `await`: the view creates a coroutine, never runs it, and returns at once."""

import asyncio

from django.http import HttpResponse
from django.urls import path


def _delay(request):
    """The ?delay= parameter, in seconds, kept between 0.1 and 2."""
    try:
        value = float(request.GET.get("delay", 1.0))
    except ValueError:
        value = 1.0
    return min(max(value, 0.1), 2.0)


async def missing_await(request):
    delay = _delay(request)
    asyncio.sleep(delay)  # no await: this only creates a coroutine object
    return HttpResponse(f"meant to wait {delay} s")


async def with_await(request):
    delay = _delay(request)
    await asyncio.sleep(delay)
    return HttpResponse(f"waited {delay} s")


urlpatterns = [
    path("missing-await/", missing_await),
    path("with-await/", with_await),
]
