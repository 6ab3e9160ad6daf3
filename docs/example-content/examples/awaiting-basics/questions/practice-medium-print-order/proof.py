"""Call the view in-process and report the words it printed, in order."""

import asyncio
import contextlib
import io

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("", view)]\n'))

from django.test import AsyncClient  # noqa: E402  (Django is set up only now)

printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    response = asyncio.run(AsyncClient().get("/"))
assert response.status_code == 200, response.status_code
observe(order=printed.getvalue().split())
