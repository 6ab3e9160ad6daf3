"""Start the shown project under uvicorn, send one request, and report the init lines the
server printed while starting, then the call lines of that request. The engine's own readiness
requests also pass through the middleware; their call lines come after the init lines and are
left out."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("", home)]\n',
    middleware=("lab_site.First", "lab_site.Second", "lab_site.Third"),
)
result = run(site, Server("uvicorn"), ["/"])
startup = result.startup.splitlines()
inits = [line for line in startup if line.endswith(" init")]
# Built at start-up: every init line comes before the first call line of any request.
first_call = next(i for i, line in enumerate(startup) if line.endswith(" call"))
assert all(startup.index(line) < first_call for line in inits), startup
calls = [line for line in result.stdout.splitlines() if line.endswith(" call")]
observe(order=inits + calls)
