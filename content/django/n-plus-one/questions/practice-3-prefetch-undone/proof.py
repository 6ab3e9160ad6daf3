"""Run new_titles() over three authors with an old and a new book each; report its queries."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, new_titles  # noqa: E402

for name in ("Ann", "Bo", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} old", year=2011, author=author)
    Book.objects.create(title=f"{name} new", year=2024, author=author)

with CaptureQueriesContext(connection) as queries:
    result = new_titles()
assert result == {"Ann": ["Ann new"], "Bo": ["Bo new"], "Cy": ["Cy new"]}, result
observe(queries=len(queries))
