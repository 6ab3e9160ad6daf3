"""Request the view as shown and with each fix the options name, through Django's ASGI handler;
a view's exception is reported by its class name."""

import asyncio

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

LINE = "    user = User.objects.filter(username=username).first()"
FIXES = {
    "await_first": "    user = await User.objects.filter(username=username).first()",
    "afirst": "    user = await User.objects.filter(username=username).afirst()",
}
BROKEN = code()
assert LINE in BROKEN
source = BROKEN + "".join(
    BROKEN.replace(LINE, line).replace("def greet(", f"def greet_{name}(")
    for name, line in FIXES.items()
)
source += "\nfrom django.urls import path\nurlpatterns = [\n"
source += "".join(
    f'    path("{view}/<str:username>/", {view}),\n'
    for view in ["greet", *(f"greet_{name}" for name in FIXES)]
)
source += "]\n"
configure(Site(source, database=True))

from django.contrib.auth.models import User  # noqa: E402
from django.test import AsyncClient  # noqa: E402

User.objects.create(username="ada", first_name="Ada")


async def outcome(view):
    try:
        response = await AsyncClient().get(f"/{view}/ada/")
    except Exception as exc:  # the view's exception, re-raised by the test client
        return type(exc).__name__
    return "ok" if response.content == b"Hello, Ada" else f"status {response.status_code}"


async def main():
    facts = {"error": await outcome("greet")}
    for name in FIXES:
        facts[name] = await outcome(f"greet_{name}")
    return facts


observe(**asyncio.run(main()))
