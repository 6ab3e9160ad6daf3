"""Send one request through Django's ASGI handler and one through its WSGI handler.

`AsyncClient` drives the same ASGIHandler that uvicorn calls, and `Client` the same WSGIHandler
code path that gunicorn calls: each builds its own middleware chain from MIDDLEWARE, in async
or sync mode. (A real gunicorn would keep failing its readiness check for a broken variant and
take 30 seconds to give up, so the handlers are called directly.) An error is reported by its
class name.
"""

import asyncio

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("", home)]\n',
    middleware=("lab_site.stamp",),
)
configure(site)

from django.test import AsyncClient, Client  # noqa: E402  (after Django is configured)


def outcome(send):
    try:
        response = send()
    except Exception as exc:  # the error itself is the observation
        return type(exc).__name__
    return f"{response.status_code} {response.get('X-Stamp', 'unstamped')}"


observe(
    asgi=outcome(lambda: asyncio.run(AsyncClient().get("/"))),
    wsgi=outcome(lambda: Client().get("/")),
)
