"""Serve the shown code under uvicorn with Timing at the end of the default middleware, and
report whether the server came up, the status of a request and whether it was timed."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import (
    DEFAULT_MIDDLEWARE,
    EXCEPTION_LINE,
    ExperimentError,
    Server,
    Site,
    run,
)

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("", home)]\n',
    middleware=(*DEFAULT_MIDDLEWARE, "lab_site.Timing"),
)
try:
    result = run(site, Server("uvicorn"), ["/"])
except ExperimentError as exc:
    # The engine's own readiness page failed the same way: the server is up, every page 500s.
    message = str(exc)
    started = "answers 500" in message
    names = EXCEPTION_LINE.findall(message)
    observe(started=started, status=500 if started else None, error=names[0] if names else "")
else:
    (response,) = result.requests
    observe(
        started=True,
        status=response.status,
        header="x-elapsed-ms" in response.headers,
        error=(result.errors() or [""])[0],
    )
