"""Build one view per line (the shown code with the placeholder filled in), then request each
through Django's ASGI handler with AsyncClient. An exception is reported by its class name."""

import asyncio

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

PLACEHOLDER = "    ...  # the line to try"
LINES = {
    "async_to_sync": "total = async_to_sync(User.objects.acount)()",
    "count": "total = User.objects.count()",
    "list_all": "users = list(User.objects.all())",
    "filter": "staff = User.objects.filter(is_staff=True)",
    "wrapped_count": "total = await sync_to_async(User.objects.count)()",
    "async_for": "users = [user async for user in User.objects.all()]",
}
BASE = code()
assert PLACEHOLDER in BASE
source = "\n".join(
    BASE.replace(PLACEHOLDER, "    " + line).replace("def probe(", f"def view_{name}(")
    for name, line in LINES.items()
)
source += "\nfrom django.urls import path\nurlpatterns = ["
source += "".join(f'path("{name}/", view_{name}), ' for name in LINES) + "]\n"
configure(Site(source, database=True))

from django.contrib.auth.models import User  # noqa: E402
from django.test import AsyncClient  # noqa: E402

User.objects.create(username="ada")


async def main():
    client = AsyncClient()
    raised, names = {}, []
    for name in LINES:
        try:
            response = await client.get(f"/{name}/")
        except Exception as exc:  # the view's exception, re-raised by the test client
            raised[name] = True
            names.append(f"{name}: {type(exc).__name__}")
            continue
        assert response.status_code == 200 and response.content == b"ok", response
        raised[name] = False
    return {**raised, "exceptions": names}


observe(**asyncio.run(main()))
