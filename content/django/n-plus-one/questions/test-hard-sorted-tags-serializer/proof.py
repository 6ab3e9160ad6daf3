"""Call the function once and count its queries."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, Tag, catalogue  # noqa: E402

tags = [Tag.objects.create(name=name) for name in ("new", "classic")]
for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    for title in (f"{name} one", f"{name} two"):
        Book.objects.create(title=title, author=author).tags.set(tags)

assert catalogue()[0] == {"title": "Ann one", "tags": ["classic", "new"]}
observe(queries=count_queries(catalogue))
