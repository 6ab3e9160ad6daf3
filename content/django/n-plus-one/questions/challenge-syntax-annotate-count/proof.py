"""Pass each queryset to `counts`, checking the result, and count its queries; an exception
is reported by its class name."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, counts  # noqa: E402


def outcome(run):
    """The query count, or the class name of the exception `run()` raised."""
    try:
        return count_queries(run)
    except Exception as exc:
        return type(exc).__name__


for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.bulk_create(Book(title=f"{name} {n}", author=author) for n in (1, 2))

from django.db.models import Count  # noqa: E402


def checked(make):
    assert counts(make()) == {"Ann": 2, "Ben": 2, "Cy": 2}


candidates = {
    "positional": lambda: Author.objects.annotate(Count("books")),
    "aggregate": lambda: Author.objects.aggregate(book_count=Count("books")),
    "named": lambda: Author.objects.annotate(book_count=Count("books")),
    "model_name": lambda: Author.objects.annotate(book_count=Count("book")),
}
observe(**{name: outcome(lambda make=make: checked(make)) for name, make in candidates.items()})
