import json

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("audit/", audit)]\n',
    database=True,
)
result = run(site, Server("uvicorn", workers=1), ["/audit/"])
assert result.requests[0].status == 200, result.stderr
observe(**json.loads(result.requests[0].body))
