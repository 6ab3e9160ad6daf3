"""Count asgiref's sync_to_async and async_to_sync calls during one request (after a first
one has warmed up the site), through Django's ASGI handler with AsyncClient: once with the
default middleware, once with Plain added at the end. Django is set up once per process, so
each count runs in a child process, which hands back its count and the knobs it ran with."""

import asyncio
import json
import subprocess
import sys

from codedrill.content.proofs import code, observe
from codedrill.lab import engine
from codedrill.lab.engine import DEFAULT_MIDDLEWARE, Site, configure


def hops(middleware: tuple) -> int:
    site = Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("", home)]\n',
                middleware=middleware)  # fmt: skip
    configure(site)
    import asgiref.sync as adapters
    from django.test import AsyncClient

    count = [0]
    to_async, to_sync = adapters.SyncToAsync.__call__, adapters.AsyncToSync.__call__

    async def counted_to_async(self, *args, **kwargs):
        count[0] += 1
        return await to_async(self, *args, **kwargs)

    def counted_to_sync(self, *args, **kwargs):
        count[0] += 1
        return to_sync(self, *args, **kwargs)

    adapters.SyncToAsync.__call__ = counted_to_async
    adapters.AsyncToSync.__call__ = counted_to_sync

    async def one_request():
        await AsyncClient().get("/")
        count[0] = 0
        response = await AsyncClient().get("/")
        assert response.status_code == 200
        return count[0]

    return asyncio.run(one_request())


if len(sys.argv) > 1:  # a child: count one setup and print it
    extra = ("lab_site.Plain",) if sys.argv[1] == "plain" else ()
    print(json.dumps({"hops": hops(DEFAULT_MIDDLEWARE + extra), "ran": engine.servers_started}))
    raise SystemExit(0)

counts = {}
for name in ("default", "plain"):
    child = subprocess.run(  # noqa: S603 - this very proof, as a child
        [sys.executable, sys.argv[0], name], capture_output=True, text=True, check=True
    )
    report = json.loads(child.stdout.splitlines()[-1])
    counts[name] = report["hops"]
    engine.servers_started.extend(report["ran"])
observe(default_stack=counts["default"], with_plain=counts["plain"])
