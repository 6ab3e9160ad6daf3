"""Build one view per line (the shown code with the placeholder filled in), then request each
through Django's ASGI handler with AsyncClient. An exception is reported by its class name."""

import asyncio

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

PLACEHOLDER = "    permission = ...  # the line to choose"
QS = 'Permission.objects.order_by("pk")'
LINES = {
    "select_related": f'permission = await {QS}.select_related("content_type").afirst()',
    "afirst": f"permission = await {QS}.afirst()",
    "sync_first": f'permission = {QS}.select_related("content_type").first()',
    "only": f'permission = await {QS}.only("content_type").afirst()',
}
BASE = code()
assert PLACEHOLDER in BASE
source = "\n".join(
    BASE.replace(PLACEHOLDER, "    " + line).replace("def first_permission(", f"def view_{name}(")
    for name, line in LINES.items()
)
source += "\nfrom django.urls import path\nurlpatterns = ["
source += "".join(f'path("{name}/", view_{name}), ' for name in LINES) + "]\n"
configure(Site(source, database=True))

from django.contrib.auth.models import Permission  # noqa: E402
from django.test import AsyncClient  # noqa: E402

expected = Permission.objects.order_by("pk").first().content_type.app_label
assert expected == "auth", expected


async def outcome(name):
    try:
        response = await AsyncClient().get(f"/{name}/")
    except Exception as exc:  # the view's exception, re-raised by the test client
        return type(exc).__name__
    ok = response.status_code == 200 and response.content.decode() == expected
    return "ok" if ok else f"status {response.status_code}"


async def main():
    return {name: await outcome(name) for name in LINES}


observe(**asyncio.run(main()))
