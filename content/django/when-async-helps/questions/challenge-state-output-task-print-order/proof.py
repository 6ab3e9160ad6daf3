"""Request the view through Django's ASGI handler and report the lines it printed, in order."""

import asyncio
import contextlib
import io

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

URLS = '\nfrom django.urls import path\nurlpatterns = [path("report/", report)]\n'
configure(Site(code() + URLS))

from django.test import AsyncClient  # noqa: E402

printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    response = asyncio.run(AsyncClient().get("/report/"))
assert response.content == b"done", response
observe(order=[line for line in printed.getvalue().splitlines() if line])
