"""Three sign-ups sent together to one uvicorn worker; then a sync view counts the users and
the server's output is searched for the warning."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

extra = """
from django.urls import path


def user_count(request):
    return HttpResponse(str(User.objects.count()))


urlpatterns = [path("signup/<str:username>/", signup), path("count/", user_count)]
"""
site = Site(code() + "\n" + extra, database=True)
names = ["ada", "bo", "cy"]
requests = [f"/signup/{name}/" for name in names] + [("/count/", 2.0)]
result = run(site, Server("uvicorn", workers=1), requests)
signups, count = result.requests[:3], result.requests[3]
welcomed = sum(
    1
    for name, r in zip(names, signups, strict=True)
    if r.status == 200 and r.body == f"welcome, {name}"
)
never_awaited = "coroutine 'QuerySet.acreate' was never awaited"
warnings = sum(never_awaited in line for line in result.warnings())
# The solution says the log shows it once for the three sign-ups (default warning filters).
assert warnings == 1, result.stderr
observe(
    welcomed=welcomed,
    users=int(count.body) if count.status == 200 else -1,
    warned=warnings > 0,
)
