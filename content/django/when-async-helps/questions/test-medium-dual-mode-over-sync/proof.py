from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code()
    + "\nfrom django.http import HttpResponse\nfrom django.urls import path\n\n"
    + "async def home(request):\n    return HttpResponse('home')\n\n"
    + 'urlpatterns = [path("", home)]\n',
    middleware=("lab_site.outer", "lab_site.inner"),
)
result = run(site, Server("uvicorn", workers=1), ["/"])
request = result.requests[0]
ran_sync = "outer ran sync" in result.stdout
ran_async = "outer ran async" in result.stdout
facts = {"answered": request.status == 200 and request.body == "home"}
if facts["answered"]:
    facts["outer"] = {(True, False): "sync", (False, True): "async", (True, True): "both"}.get(
        (ran_sync, ran_async), "none"
    )
observe(**facts)
