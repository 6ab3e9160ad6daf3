"""Record the queries of page(2) over five authors with two books each; report what each one
selects, in order."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, page  # noqa: E402

for name in ("Ann", "Bo", "Cy", "Dee", "Eve"):
    author = Author.objects.create(name=name)
    Book.objects.bulk_create(Book(title=f"{name} {n}", author=author) for n in range(2))


def kind(sql):
    if "COUNT(" in sql:
        return "count"
    if 'FROM "lab_app_author"' in sql and "LIMIT 2 OFFSET 2" in sql:
        return "authors"
    if 'FROM "lab_app_book"' in sql and " IN (" in sql:
        return "books"
    return sql


with CaptureQueriesContext(connection) as queries:
    result = page(2)
assert result == [("Cy", 2), ("Dee", 2)], result
observe(order=[kind(query["sql"]) for query in queries.captured_queries])
