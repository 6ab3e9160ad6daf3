"""Count each function's queries and report the functions sorted by that count."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, with_annotate, with_count, with_only, with_prefetch  # noqa: E402


def queries(run):
    """How many queries `run()` sends, counted the way assertNumQueries counts them."""
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.bulk_create(Book(title=f"{name} {n}", author=author) for n in (1, 2))

functions = {
    "with_count": with_count,
    "with_only": with_only,
    "with_annotate": with_annotate,
    "with_prefetch": with_prefetch,
}
counts = {name: queries(function) for name, function in functions.items()}
assert len(set(counts.values())) == len(counts), counts  # no ties: the order is well defined
observe(order=sorted(counts, key=counts.get), counts=counts)
