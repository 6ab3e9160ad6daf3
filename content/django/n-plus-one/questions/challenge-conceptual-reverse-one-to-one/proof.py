"""Pass each queryset to `bios` and count its queries; an exception is reported by its class
name."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Profile, bios  # noqa: E402


def outcome(run):
    """The query count, or the class name of the exception `run()` raised."""
    try:
        return count_queries(run)
    except Exception as exc:
        return type(exc).__name__


for name in ("Ann", "Ben", "Cy"):
    Profile.objects.create(author=Author.objects.create(name=name), bio=f"{name}'s bio")

candidates = {
    "prefetch_related": lambda: Author.objects.prefetch_related("profile"),
    "all": lambda: Author.objects.all(),
    "select_related": lambda: Author.objects.select_related("profile"),
    "select_related_books": lambda: Author.objects.select_related("profile", "books"),
}
assert bios(Author.objects.all()) == ["Ann's bio", "Ben's bio", "Cy's bio"]
observe(**{name: outcome(lambda make=make: bios(make())) for name, make in candidates.items()})
