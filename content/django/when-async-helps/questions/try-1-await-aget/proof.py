"""Create Ada, then ask for /greet/ada/ on one uvicorn worker; report the status, body and error."""

import re

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import ExperimentError, Server, Site, run

extra = """
from django.urls import path


async def seed(request):
    await User.objects.acreate(username="ada", first_name="Ada")
    return HttpResponse("seeded")


urlpatterns = [path("seed/", seed), path("greet/<str:username>/", greet)]
"""
site = Site(code() + "\n" + extra, database=True)
try:
    result = run(site, Server("uvicorn", workers=1), ["/seed/", ("/greet/ada/", 1.0)])
except ExperimentError as exc:  # the server never came up: report that, do not crash
    first_line = (str(exc).splitlines() or [""])[0]
    observe(status=None, body="", error=f"server did not start: {first_line}")
    raise SystemExit(0) from None
seed, greet = result.requests
errors = [
    n
    for n in re.findall(r"^(?:\w+\.)*([A-Z]\w*): ", result.stderr, re.M)
    if not n.endswith("Warning")
]
observe(
    seeded=seed.status == 200,
    status=greet.status,
    body=greet.body if greet.status == 200 else "",
    error=errors[-1] if errors else "none",
)
