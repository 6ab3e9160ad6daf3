from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code() + "\nfrom django.urls import path\n"
    'urlpatterns = [path("signup/", signup), path("count/", user_count)]\n',
    database=True,
)
# One after another: the count is asked for only once the sign-up has answered.
result = run(site, Server("uvicorn", workers=1), ["/signup/", "/count/"], concurrency=1)
signup, count = result.requests  # sent one at a time, in this order
assert count.status == 200, result.stderr
facts = {"signup": signup.status, "users": count.body}
if signup.status == 500:
    errors = result.errors()
    facts["error"] = errors[-1]
observe(**facts)
