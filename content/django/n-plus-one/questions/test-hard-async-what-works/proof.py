"""Await each coroutine on an event loop; report ok, or the exception's class name."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, author_id_of, author_name_of, shelf, shelf_unprefetched  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.bulk_create(Book(title=f"{name} {n}", author=author) for n in (1, 2))

import asyncio  # noqa: E402


async def attempt(coroutine):
    try:
        await coroutine
    except Exception as exc:
        return type(exc).__name__
    return "ok"


async def main():
    assert (await shelf())["Ann"] == ["Ann 1", "Ann 2"]
    return {
        "shelf": await attempt(shelf()),
        "shelf_unprefetched": await attempt(shelf_unprefetched()),
        "author_id_of": await attempt(author_id_of("Ann 1")),
        "author_name_of": await attempt(author_name_of("Ann 1")),
    }


observe(**asyncio.run(main()))
