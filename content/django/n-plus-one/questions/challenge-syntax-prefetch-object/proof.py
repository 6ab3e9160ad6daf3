"""Pass each queryset to `published_titles`, checking the result, and count its queries; an
exception is reported by its class name."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, published_titles  # noqa: E402


def outcome(run):
    """The query count, or the class name of the exception `run()` raised."""
    try:
        return count_queries(run)
    except Exception as exc:
        return type(exc).__name__


for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, published=True)
    Book.objects.create(title=f"{name} two", author=author, published=False)

from django.db.models import Prefetch, Q  # noqa: E402

published = {"Ann": ["Ann one"], "Ben": ["Ben one"], "Cy": ["Cy one"]}


def checked(make):
    assert published_titles(make()) == published


candidates = {
    "to_attr_kwarg": lambda: Author.objects.prefetch_related("books", to_attr="published_books"),
    "filter_q": lambda: Author.objects.prefetch_related(
        Prefetch("books", filter=Q(published=True), to_attr="published_books")
    ),
    "field_path": lambda: Author.objects.prefetch_related(
        Prefetch("books__published", to_attr="published_books")
    ),
    "prefetch_object": lambda: Author.objects.prefetch_related(
        Prefetch("books", queryset=Book.objects.filter(published=True), to_attr="published_books")
    ),
}
observe(**{name: outcome(lambda make=make: checked(make)) for name, make in candidates.items()})
