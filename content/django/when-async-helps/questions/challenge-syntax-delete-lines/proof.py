"""One view per line (the shown code with the placeholder filled in), each requested through
Django's ASGI handler against the same three users; an exception is reported by its class."""

import asyncio

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

PLACEHOLDER = "    ...  # the line to choose"
QS = "User.objects.filter(is_active=False)"
LINES = {
    "await_delete": f"await {QS}.delete()",
    "wrapped_delete": f"await sync_to_async({QS}.delete)()",
    "unawaited_adelete": f"{QS}.adelete()",
    "adelete": f"await {QS}.adelete()",
}
BASE = code()
assert PLACEHOLDER in BASE
source = "\n".join(
    BASE.replace(PLACEHOLDER, "    " + line).replace("def purge_inactive(", f"def view_{name}(")
    for name, line in LINES.items()
)
source += "\nfrom django.urls import path\nurlpatterns = ["
source += "".join(f'path("{name}/", view_{name}), ' for name in LINES) + "]\n"
configure(Site(source, database=True))

from django.contrib.auth.models import User  # noqa: E402
from django.test import AsyncClient  # noqa: E402


def reset():
    User.objects.all().delete()
    for name in ("ada", "grace"):
        User.objects.create(username=name)
    User.objects.create(username="old", is_active=False)


async def outcome(name):
    await asyncio.to_thread(reset)
    try:
        response = await AsyncClient().get(f"/{name}/")
    except Exception as exc:  # the view's exception, re-raised by the test client
        return type(exc).__name__
    left = response.json()["left"]
    return "ok" if response.status_code == 200 and left == 2 else f"left {left}"


async def main():
    return {name: await outcome(name) for name in LINES}


observe(**asyncio.run(main()))
