"""Fan-out: one request that needs answers from three slow upstream services.

Each upstream is simulated by `asyncio.sleep(delay)`. `/sequential/` awaits them one after
another; `/gather/` starts all three at once with `asyncio.gather`. The response lists when
each upstream call started and ended, in seconds since the view began.
"""

import asyncio
import time

from django.http import JsonResponse
from django.urls import path

UPSTREAMS = ("billing", "metering", "support")


def _delay(request):
    """The ?delay= parameter, in seconds, kept between 0.1 and 0.8."""
    try:
        value = float(request.GET.get("delay", 0.3))
    except ValueError:
        value = 0.3
    return min(max(value, 0.1), 0.8)


async def call_upstream(name, delay, began):
    start = time.perf_counter() - began
    await asyncio.sleep(delay)  # stands in for `await client.get(...)` with httpx.AsyncClient
    end = time.perf_counter() - began
    return {"upstream": name, "start": round(start, 3), "end": round(end, 3)}


async def sequential(request):
    delay, began = _delay(request), time.perf_counter()
    calls = []
    for name in UPSTREAMS:
        calls.append(await call_upstream(name, delay, began))  # waits before starting the next
    return JsonResponse({"calls": calls, "view_seconds": round(time.perf_counter() - began, 3)})


async def gather(request):
    delay, began = _delay(request), time.perf_counter()
    calls = await asyncio.gather(*(call_upstream(name, delay, began) for name in UPSTREAMS))
    return JsonResponse(
        {"calls": list(calls), "view_seconds": round(time.perf_counter() - began, 3)}
    )


urlpatterns = [
    path("sequential/", sequential),
    path("gather/", gather),
]
