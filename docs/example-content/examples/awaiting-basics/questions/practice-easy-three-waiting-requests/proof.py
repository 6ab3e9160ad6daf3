"""Send three requests at once to the view under uvicorn and time the last answer."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, about_seconds, run

site = Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("slow/", slow)]\n')
result = run(site, Server("uvicorn", workers=1), ["/slow/"] * 3)
assert all(r.status == 200 for r in result.requests), result.stderr
observe(seconds=about_seconds(result.wall))
