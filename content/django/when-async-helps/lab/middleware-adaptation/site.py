"""Middleware adaptation: one sync-only middleware and two async-capable ones.

MIDDLEWARE lists `SyncOnlyStamp` first, then `first_async_capable`, then
`second_async_capable`. Each layer, and then the view, records the mode it ran in, its thread
and the time it was reached; the response lists them with the microseconds each step took.
"""

import threading
import time

from asgiref.sync import iscoroutinefunction
from django.http import HttpResponse
from django.urls import path
from django.utils.decorators import sync_and_async_middleware


def _stamp(request, name, mode):
    request.stamps.append((name, mode, threading.current_thread().name, time.perf_counter()))


class SyncOnlyStamp:
    """A plain class with no capability flags: Django treats it as sync-only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.stamps = []
        _stamp(request, "sync-only middleware", "sync")
        return self.get_response(request)


def async_capable(name):
    @sync_and_async_middleware
    def factory(get_response):
        if iscoroutinefunction(get_response):

            async def middleware(request):
                _stamp(request, name, "async")
                return await get_response(request)

        else:

            def middleware(request):
                _stamp(request, name, "sync")
                return get_response(request)

        return middleware

    return factory


first_async_capable = async_capable("async-capable middleware 1")
second_async_capable = async_capable("async-capable middleware 2")


def _report(request):
    lines, previous = [], None
    for name, mode, thread, moment in request.stamps:
        step = "" if previous is None else f"+{(moment - previous) * 1e6:.0f} us"
        lines.append(f"{name:<28} {mode:<6} {thread:<24} {step}")
        previous = moment
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


async def async_view(request):
    _stamp(request, "async view", "async")
    return _report(request)


def sync_view(request):
    _stamp(request, "sync view", "sync")
    return _report(request)


urlpatterns = [
    path("async-view/", async_view),
    path("sync-view/", sync_view),
]
