from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, about_seconds, run

site = Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("dash/", dashboard)]\n')
result = run(site, Server("uvicorn", workers=1), ["/dash/"])
request = result.requests[0]
assert request.status == 200 and "billing ok" in request.body, result.stderr
observe(seconds=about_seconds(request.seconds))
