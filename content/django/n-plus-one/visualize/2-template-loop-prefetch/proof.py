"""Render the page over three authors and name each query it sends, in order; then report how
the book query filters, the page's queries with a slice in the inner loop, and with ten authors."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.db import connection  # noqa: E402
from django.template import Engine  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app import models  # noqa: E402
from lab_app.models import Author, Book, author_list  # noqa: E402


def add_authors(names):
    for name in names:
        author = Author.objects.create(name=name)
        Book.objects.bulk_create(Book(title=f"{name} {n}", author=author) for n in range(2))


def event(sql):
    if 'FROM "lab_app_author"' in sql:
        return "authors"
    if 'WHERE "lab_app_book"."author_id" IN (1, 2, 3)' in sql:
        return "books-of-all"
    return sql


add_authors(["Ann", "Bo", "Cy"])
with CaptureQueriesContext(connection) as queries:
    page = author_list()
assert page.startswith("Ann: Ann 0 Ann 1 Bo:"), page
book_sql = queries.captured_queries[-1]["sql"]
book_filter = "JOIN" if "JOIN" in book_sql else "IN" if " IN (" in book_sql else "none"

# The same page with the inner loop sliced, as the third quiz question asks.
shown = models.PAGE
models.PAGE = Engine().from_string(
    shown.source.replace("author.books.all %}", 'author.books.all|slice:":1" %}')
)
with CaptureQueriesContext(connection) as with_slice:
    assert author_list().startswith("Ann: Ann 0 Bo: Bo 0 Cy:"), "the slice did not apply"
models.PAGE = shown

add_authors([f"Extra {n}" for n in range(7)])
with CaptureQueriesContext(connection) as ten:
    author_list()

observe(
    events=[event(query["sql"]) for query in queries.captured_queries],
    book_filter=book_filter,
    queries_with_slice=len(with_slice),
    queries_for_10_authors=len(ten),
)
