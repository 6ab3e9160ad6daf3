"""One request to the view on one uvicorn worker; report status, body, whole seconds and error."""

from codedrill.content.proofs import code, observe, run_or_report
from codedrill.lab.engine import Server, Site, about_seconds

site = Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("travel/", travel)]\n')
result = run_or_report(site, Server("uvicorn", workers=1), ["/travel/"])
travel = result.requests[0]
errors = result.errors()
observe(
    status=travel.status,
    body=travel.body if travel.status == 200 else "",
    seconds=about_seconds(travel.seconds),
    error=errors[-1] if errors else "none",
)
