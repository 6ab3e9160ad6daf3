from codedrill.content.proofs import observe
from codedrill.lab.engine import Server, Site, about_seconds, run

SITE = """
import asyncio
import hashlib
import time

from django.http import HttpResponse
from django.urls import path


async def waiting(request):
    await asyncio.sleep(1)  # stands in for awaiting another service's reply
    return HttpResponse("waited")


async def computing(request):
    data = b"x" * 1024
    deadline = time.perf_counter() + 1
    while time.perf_counter() < deadline:  # one second of hashing, no await
        data = hashlib.sha256(data).digest() * 32
    return HttpResponse("computed")


urlpatterns = [path("waiting/", waiting), path("computing/", computing)]
"""

site = Site(SITE)
server = Server("uvicorn", workers=1)
waiting = run(site, server, ["/waiting/"] * 3)
computing = run(site, server, ["/computing/"] * 3)
observe(
    waiting_seconds=about_seconds(waiting.wall), computing_seconds=about_seconds(computing.wall)
)
