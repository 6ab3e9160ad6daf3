import asyncio

from codedrill.content.proofs import observe
from codedrill.lab.engine import Site, configure

LINES = {
    "await_acount": "total = await User.objects.acount()",
    "count": "total = User.objects.count()",
    "await_count": "total = await User.objects.count()",
    "acount_no_await": "total = User.objects.acount()",
}

views = "\n".join(
    f'async def {name}(request):\n    {line}\n    return HttpResponse(f"{{total}} users")\n'
    for name, line in LINES.items()
)
SITE = f"""
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.urls import path

{views}
urlpatterns = [{", ".join(f'path("{n}/", {n})' for n in LINES)}]
"""
configure(Site(SITE, database=True))

from django.contrib.auth.models import User  # noqa: E402
from django.test import AsyncClient  # noqa: E402

User.objects.create(username="ada")
User.objects.create(username="grace")


async def main():
    client = AsyncClient()
    facts = {}
    for name in LINES:
        try:
            response = await client.get(f"/{name}/")
            body = response.content.decode()
            facts[name] = body if body == "2 users" else "wrong: " + body.split(" at ")[0]
        except Exception as exc:
            facts[name] = type(exc).__name__
    return facts


observe(**asyncio.run(main()))
