"""Create Ada, then ask for /greet/ada/ on one uvicorn worker; report the status, body and error."""

from codedrill.content.proofs import code, observe, run_or_report
from codedrill.lab.engine import Server, Site

extra = """
from django.urls import path


async def seed(request):
    await User.objects.acreate(username="ada", first_name="Ada")
    return HttpResponse("seeded")


urlpatterns = [path("seed/", seed), path("greet/<str:username>/", greet)]
"""
site = Site(code() + "\n" + extra, database=True)
# One request at a time: the greeting is asked once the seed has answered.
result = run_or_report(site, Server("uvicorn", workers=1), ["/seed/", "/greet/ada/"], concurrency=1)
seed, greet = result.requests
errors = result.errors()
observe(
    seeded=seed.status == 200,
    status=greet.status,
    body=greet.body if greet.status == 200 else "",
    error=errors[-1] if errors else "none",
)
