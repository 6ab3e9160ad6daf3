from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, about_seconds, run

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("sync/", sync_inventory)]\n'
)
result = run(site, Server("uvicorn", workers=1), ["/sync/"] * 3)
assert all(r.status == 200 and r.body == "synced" for r in result.requests), result.stderr
# The solution says all three leave together under the default middleware, and one by one
# without it; both are checked here.
bare = run(Site(site.code, middleware=()), Server("uvicorn", workers=1), ["/sync/"] * 3)
together = sorted(about_seconds(r.end) for r in result.requests)
one_by_one = sorted(about_seconds(r.end) for r in bare.requests)
assert together == [4, 4, 4] and one_by_one == [2, 3, 4], (together, one_by_one)
observe(answer=str(about_seconds(result.wall)), finished_at=together)
