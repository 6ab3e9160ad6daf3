"""Request the view in-process and report its status and body."""

import asyncio

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("", greet)]\n'))

from django.test import AsyncClient  # noqa: E402  (Django is set up only now)

response = asyncio.run(AsyncClient().get("/"))
observe(status=response.status_code, body=response.content.decode())
