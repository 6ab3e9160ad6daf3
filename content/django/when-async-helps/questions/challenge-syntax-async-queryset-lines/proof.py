import asyncio

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

PLACEHOLDER = "    names = ...  # the line to choose"
QS = 'User.objects.order_by("username")'
LINES = {
    "async_for": f"names = [u.username async for u in {QS}]",
    "aiterator": f"names = [u.username async for u in {QS}.aiterator()]",
    "wrapped_list": f"names = [u.username for u in await sync_to_async(list)({QS})]",
    "sync_iterator": f"names = [u.username async for u in {QS}.iterator()]",
    "alist": f'names = await {QS}.values_list("username", flat=True).alist()',
}
BASE = code()
assert PLACEHOLDER in BASE
# One view per line, each a copy of the code with the placeholder filled in.
source = "\n".join(
    BASE.replace(PLACEHOLDER, "    " + line).replace("def usernames(", f"def view_{name}(")
    for name, line in LINES.items()
)
source += "\nfrom django.urls import path\nurlpatterns = ["
source += "".join(f'path("{name}/", view_{name}), ' for name in LINES) + "]\n"
configure(Site(source, database=True))

from django.contrib.auth.models import User  # noqa: E402
from django.test import AsyncClient  # noqa: E402

User.objects.create(username="grace")
User.objects.create(username="ada")


async def outcome(name):
    try:
        response = await AsyncClient().get(f"/{name}/")
    except Exception as exc:  # the view's exception, re-raised by the test client
        return type(exc).__name__
    ok = response.status_code == 200 and response.json() == {"names": ["ada", "grace"]}
    return "ok" if ok else f"status {response.status_code}"


async def main():
    return {name: await outcome(name) for name in LINES}


observe(**asyncio.run(main()))
