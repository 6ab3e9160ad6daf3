"""Three sequential requests to the view under uvicorn, then under gunicorn's sync worker."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("", which_loop)]\n')


def bodies(server):
    result = run(site, server, ["/"] * 3, concurrency=1)
    return ", ".join(r.body if r.status == 200 else f"status {r.status}" for r in result.requests)


observe(
    uvicorn=bodies(Server("uvicorn", workers=1)),
    gunicorn=bodies(Server("gunicorn", workers=1, threads=1)),
)
