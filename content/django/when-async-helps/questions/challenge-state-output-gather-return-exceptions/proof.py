"""Request the view through Django's ASGI handler and report its status and parts; a view's
exception is reported as the 500 Django would answer."""

import asyncio

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

URLS = '\nfrom django.urls import path\nurlpatterns = [path("dashboard/", dashboard)]\n'
configure(Site(code() + URLS))

from django.test import AsyncClient  # noqa: E402

try:
    response = asyncio.run(AsyncClient().get("/dashboard/"))
except Exception:  # the view's exception, re-raised by the test client
    observe(status=500)
else:
    observe(status=response.status_code, parts=response.json()["parts"])
