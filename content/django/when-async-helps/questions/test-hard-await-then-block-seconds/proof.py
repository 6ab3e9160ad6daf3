from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("sync/", sync_inventory)]\n'
)
result = run(site, Server("uvicorn", workers=1), ["/sync/"] * 3)
assert all(r.status == 200 and r.body == "synced" for r in result.requests), result.stderr
observe(
    answer=str(round(result.wall)),
    finished_at=sorted(round(r.end) for r in result.requests),
)
