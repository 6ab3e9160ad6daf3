"""One request to the report view on one uvicorn worker; report status, body and error."""

from codedrill.content.proofs import code, observe, run_or_report
from codedrill.lab.engine import Server, Site

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("report/", report)]\n',
    database=True,
)
result = run_or_report(site, Server("uvicorn", workers=1), ["/report/"])
report = result.requests[0]
errors = result.errors()
observe(
    status=report.status,
    body=report.body if report.status == 200 else "",
    error=errors[-1] if errors else "none",
)
