"""Render each argument, count the queries, and check that every author's name is printed."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, render_list  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, published=True)
    Book.objects.create(title=f"{name} two", author=author, published=False)

arguments = {
    "list": lambda: list(Book.objects.all()),
    "values": lambda: Book.objects.values("title", "author"),
    "select_related": lambda: Book.objects.select_related("author"),
    "prefetch_related": lambda: Book.objects.prefetch_related("author"),
}


def rendered(make):
    with CaptureQueriesContext(connection) as captured:
        page = render_list(make())
    names = "names shown" if page.count(" by Ann") == 2 else "names missing"
    return f"{len(captured)} quer{'y' if len(captured) == 1 else 'ies'}, {names}"


observe(**{name: rendered(make) for name, make in arguments.items()})
