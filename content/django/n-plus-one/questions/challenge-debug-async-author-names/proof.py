"""Run the coroutine with each queryset swapped in; report whether it returns the names, or
the exception's class name."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, author_names  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.bulk_create(Book(title=f"{name} {n}", author=author) for n in (1, 2))

import asyncio  # noqa: E402

import lab_app.models as shown  # noqa: E402

FUNCTIONS = code()[code().index("\nasync def ") :]  # the shown functions, after the models


def variant(old, new, name):
    """The shown function `name`, with the text `old` replaced by `new`."""
    assert old in FUNCTIONS, old
    namespace = dict(vars(shown))
    exec(FUNCTIONS.replace(old, new), namespace)  # noqa: S102 - the question's own code
    return namespace[name]


names = ["Ann", "Ann", "Ben", "Ben", "Cy", "Cy"]
candidates = {
    "only": 'Book.objects.only("title", "author")',
    "select_related": 'Book.objects.select_related("author")',
    "values": 'Book.objects.values("author__name")',
    "prefetch_related": 'Book.objects.prefetch_related("author")',
}


async def attempt(function):
    try:
        found = await function()
    except Exception as exc:
        return type(exc).__name__
    return "names" if found == names else f"wrong: {found}"


async def main():
    swapped = {
        name: await attempt(variant("Book.objects.all()", queryset, "author_names"))
        for name, queryset in candidates.items()
    }
    return {"original": await attempt(author_names)} | swapped


observe(**asyncio.run(main()))
