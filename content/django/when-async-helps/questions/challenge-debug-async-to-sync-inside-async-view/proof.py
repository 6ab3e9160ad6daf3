"""Request the view through Django's ASGI handler, then the fixed view; a view's exception is
reported by its class name, and a request still open after 5 s as a hang."""

import asyncio

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

# The fix the key names, beside the code as shown.
FIXED = """

async def fixed(request):
    return JsonResponse(await fetch_rates())
"""
URLS = """
from django.urls import path
urlpatterns = [path("rates/", rates), path("fixed/", fixed)]
"""
configure(Site(code() + FIXED + URLS))

from django.test import AsyncClient  # noqa: E402


async def main():
    facts = {}
    try:
        response = await asyncio.wait_for(AsyncClient().get("/rates/"), timeout=5)
        facts["status"] = response.status_code
    except TimeoutError:
        facts["hangs"] = True
    except Exception as exc:  # the view's exception, re-raised by the test client
        facts["error"] = type(exc).__name__
    fixed = await AsyncClient().get("/fixed/")
    assert fixed.json() == {"EUR": 1.0, "USD": 1.08}, fixed.content
    facts["fixed_status"] = fixed.status_code
    return facts


observe(**asyncio.run(main()))
