"""Run the coroutine on an event loop and report its result, its type, or the exception's
class name."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, author_of  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.bulk_create(Book(title=f"{name} {n}", author=author) for n in (1, 2))

import asyncio  # noqa: E402


async def main():
    try:
        result = await author_of("Ann 1")
    except Exception as exc:
        return type(exc).__name__
    return "coroutine" if asyncio.iscoroutine(result) else str(result)


observe(outcome=asyncio.run(main()))
