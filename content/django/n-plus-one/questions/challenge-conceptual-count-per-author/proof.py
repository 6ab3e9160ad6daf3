"""Build the mapping each way, check they agree, and count each one's queries."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book  # noqa: E402

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
observe(**{name: count_queries(make) for name, make in ways.items()})
