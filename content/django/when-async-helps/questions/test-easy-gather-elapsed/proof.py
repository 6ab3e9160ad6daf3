from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("dashboard/", dashboard)]\n'
)
result = run(site, Server("uvicorn", workers=1), ["/dashboard/"])
lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
observe(answer=lines[-1] if lines else "", status=result.requests[0].status)
