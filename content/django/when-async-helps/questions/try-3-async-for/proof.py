"""Create three users, then ask the view once on one uvicorn worker."""

from codedrill.content.proofs import code, observe, run_or_report
from codedrill.lab.engine import Server, Site

extra = """
from django.urls import path


async def seed(request):
    for name in ["cy", "ada", "bo"]:
        await User.objects.acreate(username=name)
    return HttpResponse("seeded")


urlpatterns = [path("seed/", seed), path("usernames/", usernames)]
"""
site = Site(code() + "\n" + extra, database=True)
# One request at a time: the names are asked once the seed has answered.
result = run_or_report(site, Server("uvicorn", workers=1), ["/seed/", "/usernames/"], concurrency=1)
seed, names = result.requests
errors = result.errors()
observe(
    seeded=seed.status == 200,
    status=names.status,
    body=names.body if names.status == 200 else "",
    error=errors[-1] if errors else "none",
)
