from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("", landing)]\n')
result = run(site, Server("uvicorn", workers=1), ["/"] * 3, concurrency=1)
warnings = [w for w in result.warnings() if "coroutine 'record_visit' was never awaited" in w]
observe(
    bodies=[r.body for r in sorted(result.requests, key=lambda r: r.start)],
    statuses=[r.status for r in result.requests],
    warned=len(warnings) > 0,
    warnings=len(warnings),
)
