"""Count each function's queries with 2 authors, then with 20 (2 books each); report for each
whether the count stayed the same ("constant") or grew ("grows"), and the counts."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app import models  # noqa: E402

NAMES = [
    "books_with_authors",
    "authors_with_books",
    "authors_with_new_books",
    "authors_with_counts",
    "authors_with_totals",
]


def add_authors(how_many):
    for n in range(how_many):
        author = models.Author.objects.create(name=f"author {n}")
        models.Book.objects.create(title=f"old {n}", year=2015, author=author)
        models.Book.objects.create(title=f"new {n}", year=2022, author=author)


def counts():
    found = {}
    for name in NAMES:
        with CaptureQueriesContext(connection) as queries:
            getattr(models, name)()
        found[name] = len(queries)
    return found


add_authors(2)
few = counts()
add_authors(18)
many = counts()
observe(
    **{name: "constant" if few[name] == many[name] else "grows" for name in NAMES},
    queries_with_2_authors=few,  # the counts the solution quotes
    queries_with_20_authors=many,
)
