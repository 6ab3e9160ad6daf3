from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

TOKENS = {"stamp-before", "audit-view", "stamp-after", "audit-response"}
site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("", home)]\n',
    middleware=("lab_site.Audit", "lab_site.stamp"),
)
result = run(site, Server("uvicorn", workers=1), ["/"])
assert result.requests[0].status == 200, result.stderr
observe(order=[line.strip() for line in result.stdout.splitlines() if line.strip() in TOKENS])
