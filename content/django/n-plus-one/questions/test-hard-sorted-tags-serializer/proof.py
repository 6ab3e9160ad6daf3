"""Call the function once and count its queries."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, Tag, catalogue  # noqa: E402


def queries(run):
    """How many queries `run()` sends, counted the way assertNumQueries counts them."""
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


tags = [Tag.objects.create(name=name) for name in ("new", "classic")]
for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    for title in (f"{name} one", f"{name} two"):
        Book.objects.create(title=title, author=author).tags.set(tags)

assert catalogue()[0] == {"title": "Ann one", "tags": ["classic", "new"]}
observe(queries=queries(catalogue))
