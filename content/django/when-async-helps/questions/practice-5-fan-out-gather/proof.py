"""One request to each view, sent together to one uvicorn worker; time each one."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code()
    + "\nfrom django.urls import path\n"
    + 'urlpatterns = [path("listed/", listed), path("gathered/", gathered)]\n'
)
result = run(site, Server("uvicorn", workers=1), ["/listed/", "/gathered/"])
listed, gathered = result.requests
observe(
    listed_status=listed.status,
    listed_seconds=round(listed.seconds),
    listed_body=listed.body if listed.status == 200 else "",
    gathered_status=gathered.status,
    gathered_seconds=round(gathered.seconds),
    gathered_body=gathered.body if gathered.status == 200 else "",
)
