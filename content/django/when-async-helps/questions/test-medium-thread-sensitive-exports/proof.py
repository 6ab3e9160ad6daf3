"""Three exports sent together and a health check 0.5 s later, on one uvicorn worker."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, about_seconds, run

site = Site(
    code()
    + "\nfrom django.urls import path\n"
    + 'urlpatterns = [path("export/", export), path("health/", health)]\n'
)
result = run(site, Server("uvicorn", workers=1), ["/export/"] * 3 + [("/health/", 0.5)])
*exports, health = result.requests
assert all(r.status == 200 and r.body.startswith("built on ") for r in exports), result.stderr
assert health.status == 200 and health.body == "ok", health
observe(
    exports_seconds=about_seconds(max(r.end for r in exports)),
    export_threads=len({r.body for r in exports}),
    health="fast" if health.seconds < 0.5 else "waits",
    threads=sorted(r.body for r in exports),
)
