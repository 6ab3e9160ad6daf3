from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code()
    + "\nfrom django.urls import path\n"
    + 'urlpatterns = [path("sync/", sync_report), path("async/", async_report)]\n'
)
server = Server("uvicorn", workers=1)
sync_run = run(site, server, ["/sync/"] * 3)
async_run = run(site, server, ["/async/"] * 3)
assert all(r.status == 200 for r in sync_run.requests + async_run.requests)
observe(sync_seconds=round(sync_run.wall), async_seconds=round(async_run.wall))
