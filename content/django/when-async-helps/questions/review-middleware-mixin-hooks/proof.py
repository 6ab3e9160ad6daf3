"""One request to the async view behind `Audit`, on one uvicorn worker. The body names the
thread that ran `process_request` and the view's thread; the loop runs in MainThread."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("", home)]\n',
    middleware=("lab_site.Audit",),
)
result = run(site, Server("uvicorn", workers=1), ["/"])
response = result.requests[0]
hook_thread, _, view_thread = response.body.partition(" / ")
observe(
    status=response.status,
    hook_on_loop=hook_thread == "MainThread",
    view_on_loop=view_thread == "MainThread",
    threads=[hook_thread, view_thread],
)
