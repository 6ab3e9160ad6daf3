"""One request to the async view with ATOMIC_REQUESTS on, one uvicorn worker; then a sync view
(which ATOMIC_REQUESTS may wrap) counts the users."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

extra = """
from django.urls import path


def user_count(request):
    return HttpResponse(str(User.objects.count()))


urlpatterns = [path("signup/", signup), path("count/", user_count)]
"""
site = Site(
    code() + "\n" + extra,
    database=True,
    # ATOMIC_REQUESTS is a key of the database's settings, not a top-level setting.
    database_options=(("ATOMIC_REQUESTS", True),),
)
# One request at a time: the count is asked once the signup has answered.
result = run(site, Server("uvicorn", workers=1), ["/signup/", "/count/"], concurrency=1)
signup, count = result.requests
errors = result.errors()
observe(
    status=signup.status,
    users=int(count.body) if count.status == 200 else -1,
    error=errors[-1] if errors else "none",
)
