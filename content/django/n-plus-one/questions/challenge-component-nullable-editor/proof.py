"""Run the function, count its queries and books, and read the join type from the SQL."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, editors  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, editor=author)
    Book.objects.create(title=f"{name} two", author=author, editor=None)

error = "none"
try:
    with CaptureQueriesContext(connection) as captured:
        rows = editors()
except Exception as exc:
    error, rows = type(exc).__name__, []
sql = " ".join(query["sql"] for query in captured.captured_queries)
join = next((kind for kind in ("LEFT OUTER JOIN", "INNER JOIN") if kind in sql), "none")
observe(queries=len(captured), join=join, books=len(rows), error=error)
