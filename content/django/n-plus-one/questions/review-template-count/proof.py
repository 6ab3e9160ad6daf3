"""Render the list over three authors (2, 1 and 0 books); report the number of queries."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, render_list  # noqa: E402

ann, bo, _ = (Author.objects.create(name=name) for name in ("Ann", "Bo", "Cy"))
for title, author in [("Arc", ann), ("Ash", ann), ("Bay", bo)]:
    Book.objects.create(title=title, author=author)

with CaptureQueriesContext(connection) as queries:
    page = render_list()
assert page == "Ann (2) Bo (1) Cy (0) ", page
observe(answer=str(len(queries)))
