"""Call the function, count its queries and look for a JOIN in the SQL."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, titles_with_authors  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, published=True)
    Book.objects.create(title=f"{name} two", author=author, published=False)

with CaptureQueriesContext(connection) as captured:
    assert titles_with_authors()[0] == "Ann one by Ann"
join = any("JOIN" in query["sql"] for query in captured.captured_queries)
observe(queries=len(captured), join=join)
