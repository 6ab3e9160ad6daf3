"""Three simultaneous requests to each view on one uvicorn worker; report each batch's wall time."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, about_seconds, run

site = Site(
    code()
    + "\nfrom django.urls import path\n"
    + 'urlpatterns = [path("async/", fetch_async), path("sync/", fetch_sync)]\n'
)
server = Server("uvicorn", workers=1)
async_batch = run(site, server, ["/async/"] * 3)
sync_batch = run(site, server, ["/sync/"] * 3)
observe(
    async_seconds=about_seconds(async_batch.wall),
    sync_seconds=about_seconds(sync_batch.wall),
    statuses=sorted({r.status for r in async_batch.requests + sync_batch.requests}),
)
