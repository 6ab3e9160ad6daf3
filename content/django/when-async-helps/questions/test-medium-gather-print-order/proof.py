from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("dashboard/", dashboard)]\n'
)
result = run(site, Server("uvicorn", workers=1), ["/dashboard/"])
assert result.requests[0].status == 200, result.requests[0]
observe(order=[line.strip() for line in result.stdout.splitlines() if line.strip()])
