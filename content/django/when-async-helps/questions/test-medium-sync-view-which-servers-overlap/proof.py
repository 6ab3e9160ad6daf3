from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, about_seconds, run

site = Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("export/", export)]\n')
servers = {
    "uvicorn": Server("uvicorn", workers=1),
    "gunicorn_sync": Server("gunicorn", workers=1, threads=1),
    "gthread_2": Server("gunicorn", workers=1, threads=2),
    "gthread_4": Server("gunicorn", workers=1, threads=4),
}
facts = {}
for name, server in servers.items():
    result = run(site, server, ["/export/"] * 3)
    assert all(r.status == 200 and r.body == "done" for r in result.requests), result.stderr
    facts[name] = about_seconds(result.wall)
observe(**facts)
