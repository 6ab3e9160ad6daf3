"""Render the page over three authors and name each query it sends, in order; then count the
queries of building the queryset alone, and of the page with ten authors."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, author_list  # noqa: E402


def add_authors(names):
    for name in names:
        author = Author.objects.create(name=name)
        Book.objects.bulk_create(Book(title=f"{name} {n}", author=author) for n in range(2))


add_authors(["Ann", "Bo", "Cy"])
ids = {author.pk: author.name.lower() for author in Author.objects.all()}


def event(sql):
    if 'FROM "lab_app_author"' in sql:
        return "authors"
    for pk, name in ids.items():
        if sql.endswith(f'WHERE "lab_app_book"."author_id" = {pk}'):
            return f"books-of-{name}"
    return sql


with CaptureQueriesContext(connection) as queries:
    page = author_list()
assert page.startswith("Ann: Ann 0 Ann 1 Bo:"), page
events = [event(query["sql"]) for query in queries.captured_queries]

with CaptureQueriesContext(connection) as built:
    Author.objects.order_by("name")

later = {
    "book" if 'FROM "lab_app_book"' in query["sql"] else "author"
    for query in queries.captured_queries[1:]
}

add_authors([f"Extra {n}" for n in range(7)])
with CaptureQueriesContext(connection) as ten:
    author_list()

observe(
    events=events,
    after_line_22=len(built),
    queries_for_10_authors=len(ten),
    later_queries_read=later.pop() if len(later) == 1 else sorted(later),
)
