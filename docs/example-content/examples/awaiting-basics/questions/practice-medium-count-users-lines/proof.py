"""Try each line in the view, against a database holding two users, and report each answer."""

import asyncio

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

LINES = {
    "acount": "await User.objects.acount()",
    "wrapped_count": "await sync_to_async(User.objects.count)()",
    "count": "User.objects.count()",
    "await_count": "await User.objects.count()",
}
# One copy of the view per line, each under its own name and URL.
views = "".join(
    code().replace("user_count", name).replace("...", line) for name, line in LINES.items()
)
urls = ", ".join(f'path("{name}/", {name})' for name in LINES)
configure(Site(f"{views}\nfrom django.urls import path\nurlpatterns = [{urls}]\n", database=True))

from django.contrib.auth.models import User  # noqa: E402  (Django is set up only now)
from django.test import AsyncClient  # noqa: E402

User.objects.create(username="ada")
User.objects.create(username="grace")


async def answer(name):
    try:
        response = await AsyncClient().get(f"/{name}/")
    except Exception as exc:
        return type(exc).__name__
    return response.content.decode()


async def main():
    return {name: await answer(name) for name in LINES}


observe(**asyncio.run(main()))
