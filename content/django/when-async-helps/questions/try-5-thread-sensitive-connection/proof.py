"""One request to the report view on one uvicorn worker; report status, body and error."""

import re

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import ExperimentError, Server, Site, run

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("report/", report)]\n',
    database=True,
)
try:
    result = run(site, Server("uvicorn", workers=1), ["/report/"])
except ExperimentError as exc:  # the server never came up: report that, do not crash
    first_line = (str(exc).splitlines() or [""])[0]
    observe(status=None, body="", error=f"server did not start: {first_line}")
    raise SystemExit(0) from None
report = result.requests[0]
errors = [
    n
    for n in re.findall(r"^(?:\w+\.)*([A-Z]\w*): ", result.stderr, re.M)
    if not n.endswith("Warning")
]
observe(
    status=report.status,
    body=report.body if report.status == 200 else "",
    error=errors[-1] if errors else "none",
)
