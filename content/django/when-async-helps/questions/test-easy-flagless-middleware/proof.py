from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("", home)]\n',
    middleware=("lab_site.Stamp",),
)
result = run(site, Server("uvicorn", workers=1), ["/"])
request = result.requests[0]
facts = {"answered": request.status == 200 and request.body == "home"}
facts["stamp_ran"] = "Stamp ran" in result.stdout
if facts["stamp_ran"]:
    facts["on_loop"] = "Stamp ran on the event loop" in result.stdout
observe(**facts)
