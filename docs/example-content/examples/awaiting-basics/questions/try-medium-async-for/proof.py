"""Request the view in-process, with two users in the database; report its answer or error."""

import asyncio

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

urls = '\nfrom django.urls import path\nurlpatterns = [path("", usernames)]\n'
configure(Site(code() + urls, database=True))

from django.contrib.auth.models import User  # noqa: E402  (Django is set up only now)
from django.test import AsyncClient  # noqa: E402

User.objects.create(username="ada")
User.objects.create(username="grace")

try:
    response = asyncio.run(AsyncClient().get("/"))
except Exception as exc:
    observe(error=type(exc).__name__)
else:
    observe(status=response.status_code, body=response.content.decode())
