"""One view per line (the shown code with the placeholder filled in), each requested through
Django's ASGI handler on a fresh `ada`; an exception is reported by its class name."""

import asyncio

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

PLACEHOLDER = "    ...  # the line that stores the change"
LINES = {
    "unawaited_asave": "user.asave()",
    "asave": "await user.asave()",
    "await_save": "await user.save()",
    "wrapped_uncalled": "await sync_to_async(user.save)",
}
BASE = code()
assert PLACEHOLDER in BASE
source = "\n".join(
    BASE.replace(PLACEHOLDER, "    " + line).replace("def rename(", f"def view_{name}(")
    for name, line in LINES.items()
)
source += "\nfrom django.urls import path\nurlpatterns = ["
source += "".join(f'path("{name}/", view_{name}), ' for name in LINES) + "]\n"
configure(Site(source, database=True))

from django.contrib.auth.models import User  # noqa: E402
from django.test import AsyncClient  # noqa: E402


def reset():
    User.objects.all().delete()
    User.objects.create(username="ada", first_name="")


def stored() -> bool:
    return User.objects.get(username="ada").first_name == "Ada"


async def outcome(name):
    await asyncio.to_thread(reset)
    try:
        response = await AsyncClient().get(f"/{name}/")
    except Exception as exc:  # the view's exception, re-raised by the test client
        return type(exc).__name__
    assert response.content == b"saved", response
    return "stored" if await asyncio.to_thread(stored) else "not stored"


async def main():
    return {name: await outcome(name) for name in LINES}


observe(**asyncio.run(main()))
