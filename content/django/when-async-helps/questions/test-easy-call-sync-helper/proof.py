"""Build one view per line (the shown code with the placeholder filled in), then request each
through Django's ASGI handler with AsyncClient. An exception is reported by its class name."""

import asyncio

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

PLACEHOLDER = "    names = ...  # the line to choose"
LINES = {
    "wrap_then_call": "names = await sync_to_async(usernames)()",
    "await_directly": "names = await usernames()",
    "wrap_the_result": "names = await sync_to_async(usernames())",
    "async_to_sync": "names = async_to_sync(usernames)()",
}
BASE = code()
assert PLACEHOLDER in BASE
# The helper once, then one copy of the view per line.
helper, _, view = BASE.partition("async def people(")
view = "async def people(" + view
source = helper + "\n".join(
    view.replace(PLACEHOLDER, "    " + line).replace("def people(", f"def view_{name}(")
    for name, line in LINES.items()
)
source += "\nfrom django.urls import path\nurlpatterns = ["
source += "".join(f'path("{name}/", view_{name}), ' for name in LINES) + "]\n"
configure(Site(source, database=True))

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
        except Exception as exc:  # the view's exception, re-raised by the test client
            facts[name] = type(exc).__name__
    return facts


observe(**asyncio.run(main()))
