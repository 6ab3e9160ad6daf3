"""Request the view in-process and report its answer or error."""

import asyncio

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("", both)]\n'))

from django.test import AsyncClient  # noqa: E402  (Django is set up only now)

try:
    response = asyncio.run(AsyncClient().get("/"))
except Exception as exc:
    observe(error=type(exc).__name__)
else:
    observe(status=response.status_code, body=response.content.decode())
