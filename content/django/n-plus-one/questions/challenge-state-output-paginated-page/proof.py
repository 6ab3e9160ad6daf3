"""Call `page_lines(2)` once and count its queries."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, page_lines  # noqa: E402

for books, name in enumerate(("Ann", "Ben", "Cy", "Dee", "Eve"), start=1):
    author = Author.objects.create(name=name)
    Book.objects.bulk_create(Book(title=f"{name} {n}", author=author) for n in range(books))

assert page_lines(2) == ["Cy: 3", "Dee: 4"]
observe(answer=str(count_queries(lambda: page_lines(2))))
