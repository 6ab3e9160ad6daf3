"""The operations dashboard: three panels from three services, a nightly report, and a ping
the load balancer calls every second. It runs under uvicorn, and it is slow."""

import asyncio
import time

from django.http import JsonResponse
from django.urls import path

SERVICES = ("orders", "stock", "weather")


async def fetch_panel(service):
    """One service's panel. Each service takes a second to answer; this sleep stands in for
    `await client.get(...)` with an async HTTP client."""
    await asyncio.sleep(1.0)
    return {"service": service, "status": "green"}


def read_report_file():
    """Last night's report, from a slow network drive. There is no async way to read it: the
    call blocks for a second (this sleep stands in for the slow read)."""
    time.sleep(1.0)
    return {"rows": 1280, "errors": 3}


async def dashboard(request):
    panels = []
    for service in SERVICES:
        task = asyncio.create_task(fetch_panel(service))
        panels.append(await task)  # awaited before the next task is even created
    return JsonResponse({"panels": panels})


async def report(request):
    return JsonResponse(await asyncio.to_thread(read_report_file))


async def ping(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("dashboard/", dashboard),
    path("report/", report),
    path("ping/", ping),
]
