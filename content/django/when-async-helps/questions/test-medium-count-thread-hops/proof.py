import asyncio
import json

import asgiref.sync

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(
    Site(
        code()
        + "\nfrom django.urls import path\n"
        + 'urlpatterns = [path("three/", three_calls), path("one/", one_call)]\n',
        database=True,
    )
)

import lab_site  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.test import RequestFactory  # noqa: E402

User.objects.create(username="ada")
User.objects.create(username="grace")

# Count every sync_to_async hand-off made while a view's own code runs.
handoffs = 0
original_call = asgiref.sync.SyncToAsync.__call__


async def counting_call(self, *args, **kwargs):
    global handoffs
    handoffs += 1
    return await original_call(self, *args, **kwargs)


asgiref.sync.SyncToAsync.__call__ = counting_call


async def handoffs_of(view):
    global handoffs
    request = RequestFactory().get("/")
    handoffs = 0
    response = await view(request)
    return handoffs, json.loads(response.content)


async def main():
    three, three_body = await handoffs_of(lab_site.three_calls)
    one, one_body = await handoffs_of(lab_site.one_call)
    assert three_body == one_body == {"user": "ada", "total": 2, "newest": "grace"}, (
        three_body,
        one_body,
    )
    return {"three_calls": three, "one_call": one}


observe(**asyncio.run(main()))
