from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, about_seconds, run

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("throttled/", throttled)]\n'
)
result = run(site, Server("uvicorn", workers=1), ["/throttled/"])
request = result.requests[0]
observe(
    status=request.status,
    seconds=about_seconds(result.wall),
    warned="RuntimeWarning: coroutine 'sleep' was never awaited" in result.stderr,
)
