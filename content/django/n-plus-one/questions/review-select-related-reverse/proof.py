"""Run shelves() over three authors with a book each; report its queries and any exception."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, shelves  # noqa: E402

for name in ("Ann", "Bo", "Cy"):
    Book.objects.create(title=f"{name}'s book", author=Author.objects.create(name=name))

error = "none"
with CaptureQueriesContext(connection) as queries:
    try:
        shelves()
    except Exception as exc:
        error = type(exc).__name__
observe(queries=len(queries), error=error)
