"""Create the user, then call each view once on one uvicorn worker; report each status."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

VIEWS = ["with_aget", "with_wrapper", "plain_get", "awaited_get"]
extra = f"""
from django.urls import path


async def seed(request):
    await User.objects.acreate(username="ada", email="ada@example.com")
    return HttpResponse("seeded")


urlpatterns = [path("seed/", seed)] + [path(name + "/", globals()[name]) for name in {VIEWS!r}]
"""
site = Site(code() + "\n" + extra, database=True)
# One request at a time: the seed first, then each view once the one before has answered.
requests = ["/seed/"] + [f"/{name}/" for name in VIEWS]
result = run(site, Server("uvicorn", workers=1), requests, concurrency=1)
seeded = result.requests[0].status == 200
status = {
    name: (r.status if r.status != 200 or r.body == "ada@example.com" else "wrong body")
    for name, r in zip(VIEWS, result.requests[1:], strict=True)
}
errors = result.errors()
observe(seeded=seeded, errors=sorted(set(errors)), **status)
