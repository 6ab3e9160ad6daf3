from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, about_seconds, run

site = Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("status/", status)]\n')
result = run(site, Server("gunicorn", workers=1, threads=1), ["/status/"] * 3)
observe(
    seconds=about_seconds(result.wall),
    all_ok=all(r.status == 200 and r.body == "ok" for r in result.requests),
)
