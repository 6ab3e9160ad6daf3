"""Create three users, then ask the view once on one uvicorn worker."""

import re

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import ExperimentError, Server, Site, run

extra = """
from django.urls import path


async def seed(request):
    for name in ["cy", "ada", "bo"]:
        await User.objects.acreate(username=name)
    return HttpResponse("seeded")


urlpatterns = [path("seed/", seed), path("usernames/", usernames)]
"""
site = Site(code() + "\n" + extra, database=True)
try:
    result = run(site, Server("uvicorn", workers=1), ["/seed/", ("/usernames/", 1.0)])
except ExperimentError as exc:  # the server never came up: report that, do not crash
    first_line = (str(exc).splitlines() or [""])[0]
    observe(status=None, body="", error=f"server did not start: {first_line}")
    raise SystemExit(0) from None
seed, names = result.requests
errors = [
    n
    for n in re.findall(r"^(?:\w+\.)*([A-Z]\w*): ", result.stderr, re.M)
    if not n.endswith("Warning")
]
observe(
    seeded=seed.status == 200,
    status=names.status,
    body=names.body if names.status == 200 else "",
    error=errors[-1] if errors else "none",
)
