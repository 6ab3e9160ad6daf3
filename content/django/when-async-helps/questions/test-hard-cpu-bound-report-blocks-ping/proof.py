from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

URLS = (
    '\nfrom django.urls import path\nurlpatterns = [path("report/", report), path("ping/", ping)]\n'
)
BASE = code()
ONE, TWO = Server("uvicorn", workers=1), Server("uvicorn", workers=2)


def variant(old, new, imports=""):
    assert old in BASE, old
    return imports + BASE.replace(old, new)


def ping_wait(source, server):
    """Seconds `ping` waits when it is sent 0.3 s after `report`, rounded; 0 under one second.
    Held behind the 2 s report it waits about 1.7 s; not held, it answers at once, but a busy
    machine can stretch that past half a second (two_workers once read 1 in CI)."""
    result = run(Site(source + URLS), server, [("/report/", 0), ("/ping/", 0.3)])
    assert all(r.status == 200 for r in result.requests), result.stderr
    seconds = result.requests[1].seconds
    return round(seconds) if seconds >= 1.0 else 0


observe(
    as_written=ping_wait(BASE, ONE),
    sync_report=ping_wait(variant("async def report", "def report"), ONE),
    to_thread=ping_wait(
        variant(
            "    crunch(2)",
            "    await sync_to_async(crunch)(2)",
            "from asgiref.sync import sync_to_async\n",
        ),
        ONE,
    ),
    two_workers=ping_wait(BASE, TWO),
    sync_ping=ping_wait(variant("async def ping", "def ping"), ONE),
    sleep_zero=ping_wait(
        variant("    crunch(2)", "    await asyncio.sleep(0)\n    crunch(2)", "import asyncio\n"),
        ONE,
    ),
)
