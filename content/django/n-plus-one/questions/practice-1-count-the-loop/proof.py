"""Run report() over four books by two authors; report the number of queries it ran."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, report  # noqa: E402

ann, bo = Author.objects.create(name="Ann"), Author.objects.create(name="Bo")
for title, author in [("Arc", ann), ("Ash", ann), ("Bay", bo), ("Bog", bo)]:
    Book.objects.create(title=title, author=author)

with CaptureQueriesContext(connection) as queries:
    lines, total = report()
assert total == 4 and len(lines) == 4, (lines, total)
observe(answer=str(len(queries)))
