"""One request as `ada`, then one as `mallory`, on one uvicorn worker; report each answer and
whether the server log warned about the coroutine."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code()
    + "\nfrom django.urls import path\n"
    + 'urlpatterns = [path("comment/<str:username>/", post_comment)]\n'
)
requests = ["/comment/ada/", "/comment/mallory/"]
result = run(site, Server("uvicorn", workers=1), requests, concurrency=1)
ada, mallory = result.requests  # sent one at a time, in this order
never_awaited = "coroutine 'is_banned' was never awaited"
warnings = sum(never_awaited in line for line in result.warnings())
assert warnings == 1, result.stderr  # once for both requests, as the solution says
observe(
    ada=f"{ada.status} {ada.body}",
    mallory=f"{mallory.status} {mallory.body}",
    ada_status=ada.status,
    mallory_status=mallory.status,
    warned=warnings > 0,
)
