"""Request the view in-process and record the order of the start and end lines it prints."""

import asyncio
import contextlib
import io

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("", dashboard)]\n'))

from django.test import AsyncClient  # noqa: E402  (Django is set up only now)

printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    response = asyncio.run(AsyncClient().get("/"))

events = ["-".join(line.split()) for line in printed.getvalue().splitlines()]  # "slow-start"
first_end = next(e for e in events if e.endswith("-end"))
observe(
    events=events,
    starts_before_first_end=events.index(first_end),
    first_end=first_end.removesuffix("-end"),
    body=response.content.decode(),
)
