"""The client gives up after 1.5 s (httpx timeout, which closes the connection); a later
request, sent at 4 s, reads which steps the view had finished. One uvicorn worker."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

extra = """
from django.urls import path


def progress(request):
    return HttpResponse(", ".join(finished_steps) or "none")


urlpatterns = [path("statement/", yearly_statement), path("progress/", progress)]
"""
site = Site(code() + "\n" + extra)
result = run(site, Server("uvicorn", workers=1), ["/statement/", ("/progress/", 4.0)], timeout=1.5)
statement, progress = result.requests
observe(
    finished=progress.body if progress.status == 200 else f"status {progress.status}",
    client_gave_up=statement.status is None,
)
