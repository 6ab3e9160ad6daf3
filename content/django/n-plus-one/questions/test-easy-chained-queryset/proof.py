"""Call the function, count its queries, and check that the returned queryset does query when
evaluated."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, recent_published  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, published=True)
    Book.objects.create(title=f"{name} two", author=author, published=False)

with CaptureQueriesContext(connection) as building:
    books = recent_published()
assert count_queries(lambda: list(books)) == 1
observe(answer=str(len(building)))
