"""One request to the view on one uvicorn worker; report status, body, whole seconds and error."""

import re

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import ExperimentError, Server, Site, run

site = Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("travel/", travel)]\n')
try:
    result = run(site, Server("uvicorn", workers=1), ["/travel/"])
except ExperimentError as exc:  # the server never came up: report that, do not crash
    first_line = (str(exc).splitlines() or [""])[0]
    observe(status=None, body="", error=f"server did not start: {first_line}")
    raise SystemExit(0) from None
travel = result.requests[0]
errors = [
    n
    for n in re.findall(r"^(?:\w+\.)*([A-Z]\w*): ", result.stderr, re.M)
    if not n.endswith("Warning")
]
observe(
    status=travel.status,
    body=travel.body if travel.status == 200 else "",
    seconds=round(travel.seconds),
    error=errors[-1] if errors else "none",
)
