"""Three simultaneous requests to the async view on one uvicorn worker."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, about_seconds, run

site = Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("rates/", rates)]\n')
result = run(site, Server("uvicorn", workers=1), ["/rates/"] * 3)
observe(
    seconds=about_seconds(result.wall),
    failed=sum(1 for r in result.requests if r.status != 200),
)
