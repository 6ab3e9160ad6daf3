"""Run recent() over two authors with two books each, one before 2020 and one after; report its
result, its queries and any exception by class name."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, recent  # noqa: E402

ann, bo = Author.objects.create(name="Ann"), Author.objects.create(name="Bo")
BOOKS = [("Fen", 2012, ann), ("Moor", 2021, ann), ("Dale", 2019, bo), ("Wick", 2023, bo)]
for title, year, author in BOOKS:
    Book.objects.create(title=title, year=year, author=author)

result, error = None, "none"
with CaptureQueriesContext(connection) as queries:
    try:
        result = recent()
    except Exception as exc:  # a wrong fill may raise; its class is the observation
        error = type(exc).__name__
observe(queries=len(queries), recent=result, error=error)
