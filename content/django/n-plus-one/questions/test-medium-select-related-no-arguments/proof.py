"""Call the function once and count its queries."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, credits  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, editor=author)
    Book.objects.create(title=f"{name} two", author=author, editor=None)

assert credits()[:2] == ["Ann one: Ann, edited by Ann", "Ann two: Ann, edited by -"]
observe(queries=count_queries(credits))
