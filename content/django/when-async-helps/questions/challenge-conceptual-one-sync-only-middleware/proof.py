"""The stem's stack under uvicorn: a plain middleware class with no flags, then two coroutine
middleware, then an async view. Every layer notes its thread; the view answers with the list.
A switch is a change of thread from one step to the next, counting from the event loop's
thread, where uvicorn hands Django the request."""

import json

from codedrill.content.proofs import observe
from codedrill.lab.engine import Server, Site, run

SITE = """
import json
import threading

from django.http import HttpResponse
from django.urls import path
from django.utils.decorators import async_only_middleware


def _note(request):
    request.threads = getattr(request, "threads", []) + [threading.current_thread().name]


class Plain:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _note(request)
        return self.get_response(request)


def coroutine_middleware(get_response):
    async def middleware(request):
        _note(request)
        return await get_response(request)

    return middleware


first = second = async_only_middleware(coroutine_middleware)


async def home(request):
    _note(request)
    return HttpResponse(json.dumps(request.threads))


urlpatterns = [path("", home)]
"""
site = Site(SITE, middleware=("lab_site.Plain", "lab_site.first", "lab_site.second"))
result = run(site, Server("uvicorn"), ["/"])
(response,) = result.requests
assert response.status == 200, result.stderr
steps = ["MainThread", *(name.split("-")[0] for name in json.loads(response.body))]
observe(
    switches=sum(a != b for a, b in zip(steps, steps[1:], strict=False)),
    view_thread=steps[-1],
)
