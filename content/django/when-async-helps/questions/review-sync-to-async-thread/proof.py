"""One request on one uvicorn worker; the body names the threads of the two wrapped calls
and of the loop."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("where/", where)]\n')
result = run(site, Server("uvicorn", workers=1), ["/where/"])
first, second, loop = result.requests[0].body.split()
observe(
    same_thread=first == second,
    on_loop_thread=first == loop,
    threads=[first, second, loop],
)
