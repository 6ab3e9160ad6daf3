import asyncio

from codedrill.content.proofs import observe
from codedrill.lab.engine import Site, configure

LINES = {
    "wrap_then_call": "names = await sync_to_async(usernames)()",
    "await_directly": "names = await usernames()",
    "wrap_the_result": "names = await sync_to_async(usernames())",
    "async_to_sync": "names = async_to_sync(usernames)()",
}

views = "\n".join(
    f'async def view_{name}(request):\n    {line}\n    return HttpResponse(", ".join(names))\n'
    for name, line in LINES.items()
)
SITE = f"""
from asgiref.sync import async_to_sync, sync_to_async
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.urls import path


def usernames():
    return [user.username for user in User.objects.order_by("username")]

{views}
urlpatterns = [{", ".join(f'path("{n}/", view_{n})' for n in LINES)}]
"""
configure(Site(SITE, database=True))

from django.contrib.auth.models import User  # noqa: E402
from django.test import AsyncClient  # noqa: E402

User.objects.create(username="grace")
User.objects.create(username="ada")


async def main():
    client = AsyncClient()
    facts = {}
    for name in LINES:
        try:
            response = await client.get(f"/{name}/")
            facts[name] = response.content.decode()
        except Exception as exc:
            facts[name] = type(exc).__name__
    return facts


observe(**asyncio.run(main()))
