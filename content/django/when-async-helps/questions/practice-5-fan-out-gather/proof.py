"""One request to each view, sent together to one uvicorn worker; time each one."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, about_seconds, run

site = Site(
    code()
    + "\nfrom django.urls import path\n"
    + 'urlpatterns = [path("strict/", strict), path("tolerant/", tolerant)]\n'
)
result = run(site, Server("uvicorn", workers=1), ["/strict/", "/tolerant/"])
strict, tolerant = result.requests
observe(
    strict_status=strict.status,
    strict_seconds=about_seconds(strict.seconds),
    strict_body=strict.body if strict.status == 200 else "",
    tolerant_status=tolerant.status,
    tolerant_seconds=about_seconds(tolerant.seconds),
    tolerant_body=tolerant.body if tolerant.status == 200 else "",
    strict_error="ConnectionError" in result.stderr,
)
