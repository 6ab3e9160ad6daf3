"""A status page that waits half a second for an upstream check, and a ping."""

import asyncio  # noqa: F401 - the fix needs it
import time

from django.http import JsonResponse
from django.urls import path


async def status(request):
    time.sleep(0.5)  # stands in for waiting on an upstream check
    return JsonResponse({"upstream": "ok"})


async def ping(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("status/", status), path("ping/", ping)]
