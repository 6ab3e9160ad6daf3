"""Build the mapping each way, check they agree, and count each one's queries."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book  # noqa: E402


def queries(run):
    """How many queries `run()` sends, counted the way assertNumQueries counts them."""
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, published=True)
    Book.objects.create(title=f"{name} two", author=author, published=False)

from django.db.models import Count  # noqa: E402

ways = {
    "prefetch_count": lambda: {
        a.name: a.books.count() for a in Author.objects.prefetch_related("books")
    },
    "annotate": lambda: {a.name: a.n for a in Author.objects.annotate(n=Count("books"))},
    "count": lambda: {a.name: a.books.count() for a in Author.objects.all()},
    "len": lambda: {a.name: len(a.books.all()) for a in Author.objects.all()},
}
assert all(make() == {"Ann": 2, "Ben": 2, "Cy": 2} for make in ways.values())
observe(**{name: queries(make) for name, make in ways.items()})
