"""Pass each queryset to `tag_lists` and count its queries; an exception is reported by its
class name."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, Tag, tag_lists  # noqa: E402


def outcome(run):
    """The query count, or the class name of the exception `run()` raised."""
    try:
        return count_queries(run)
    except Exception as exc:
        return type(exc).__name__


tags = [Tag.objects.create(name=name) for name in ("new", "classic")]
for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    for title in (f"{name} one", f"{name} two"):
        Book.objects.create(title=title, author=author).tags.set(tags)

candidates = {
    "select_related": lambda: Book.objects.select_related("tags"),
    "tag_set": lambda: Book.objects.prefetch_related("tag_set"),
    "prefetch_related": lambda: Book.objects.prefetch_related("tags"),
    "tags_name": lambda: Book.objects.prefetch_related("tags__name"),
}
assert tag_lists(Book.objects.all())["Ann one"] == ["new", "classic"]
observe(**{name: outcome(lambda make=make: tag_lists(make())) for name, make in candidates.items()})
