from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, about_seconds, run

site = Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("dash/", dashboard)]\n')
result = run(site, Server("gunicorn", workers=1, threads=1), ["/dash/"] * 2)
statuses = {r.status for r in result.requests}
observe(
    status=statuses.pop() if len(statuses) == 1 else sorted(statuses, key=str),
    first=about_seconds(min(r.end for r in result.requests)),
    last=about_seconds(result.wall),
)
