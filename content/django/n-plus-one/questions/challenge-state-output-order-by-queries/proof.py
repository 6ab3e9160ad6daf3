"""Count each function's queries and report the functions sorted by that count."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, with_annotate, with_count, with_only, with_prefetch  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.bulk_create(Book(title=f"{name} {n}", author=author) for n in (1, 2))

functions = {
    "with_count": with_count,
    "with_only": with_only,
    "with_annotate": with_annotate,
    "with_prefetch": with_prefetch,
}
counts = {name: count_queries(function) for name, function in functions.items()}
assert len(set(counts.values())) == len(counts), counts  # no ties: the order is well defined
observe(order=sorted(counts, key=counts.get), counts=counts)
