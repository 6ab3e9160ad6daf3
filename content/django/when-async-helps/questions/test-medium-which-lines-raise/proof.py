import asyncio

from codedrill.content.proofs import observe
from codedrill.lab.engine import Site, configure

LINES = {
    "async_to_sync": "total = async_to_sync(User.objects.acount)()",
    "count": "total = User.objects.count()",
    "list_all": "users = list(User.objects.all())",
    "filter": "staff = User.objects.filter(is_staff=True)",
    "wrapped_count": "total = await sync_to_async(User.objects.count)()",
    "async_for": "users = [user async for user in User.objects.all()]",
}

views = "\n".join(
    f'async def view_{name}(request):\n    {line}\n    return HttpResponse("ok")\n'
    for name, line in LINES.items()
)
SITE = f"""
from asgiref.sync import async_to_sync, sync_to_async
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.urls import path

{views}
urlpatterns = [{", ".join(f'path("{n}/", view_{n})' for n in LINES)}]
"""
configure(Site(SITE, database=True))

from django.contrib.auth.models import User  # noqa: E402
from django.test import AsyncClient  # noqa: E402

User.objects.create(username="ada")


async def main():
    client = AsyncClient()
    raised, names = {}, []
    for name in LINES:
        try:
            response = await client.get(f"/{name}/")
        except Exception as exc:
            raised[name] = True
            names.append(f"{name}: {type(exc).__name__}")
            continue
        assert response.status_code == 200 and response.content == b"ok", response
        raised[name] = False
    return {**raised, "exceptions": names}


observe(**asyncio.run(main()))
