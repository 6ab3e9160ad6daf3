"""Run counts() over three authors (2, 1 and 0 books); report its result, its queries and any
exception by class name."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, counts  # noqa: E402

ann, bo, _ = (Author.objects.create(name=name) for name in ("Ann", "Bo", "Cy"))
for title, author in [("Ash", ann), ("Arc", ann), ("Bay", bo)]:
    Book.objects.create(title=title, author=author)

result, error = None, "none"
with CaptureQueriesContext(connection) as queries:
    try:
        result = counts()
    except Exception as exc:  # a wrong fill may raise; its class is the observation
        error = type(exc).__name__
observe(queries=len(queries), counts=result, error=error)
