"""Render the template once and count the queries."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, render_shelf  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, published=True)
    Book.objects.create(title=f"{name} two", author=author, published=False)

assert render_shelf().startswith("Ann (2): Ann one; Ann two; Ben (2)")
observe(answer=str(count_queries(render_shelf)))
