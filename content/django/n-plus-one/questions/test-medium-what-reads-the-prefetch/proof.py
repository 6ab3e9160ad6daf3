"""Load the authors once, then count the queries each expression sends over all of them."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, authors  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, published=True)
    Book.objects.create(title=f"{name} two", author=author, published=False)

loaded = authors()
expressions = {
    "filter": lambda author: list(author.books.filter(published=True)),
    "all": lambda author: list(author.books.all()),
    "order_by": lambda author: list(author.books.order_by("title")),
    "count": lambda author: author.books.count(),
}
observe(
    **{
        name: count_queries(lambda read=read: [read(author) for author in loaded])
        for name, read in expressions.items()
    }
)
