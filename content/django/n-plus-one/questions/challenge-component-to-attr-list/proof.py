"""Load the authors once, then count the queries each expression sends over all of them."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, authors_with_published  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, published=True)
    Book.objects.create(title=f"{name} two", author=author, published=False)

authors = list(authors_with_published())
expressions = {
    "books_count": lambda author: author.books.count(),
    "to_attr_titles": lambda author: [book.title for book in author.published_books],
    "books_all": lambda author: [book.title for book in author.books.all()],
    "back_to_author": lambda author: author.published_books[0].author.name,
}
observe(
    **{
        name: count_queries(lambda read=read: [read(author) for author in authors])
        for name, read in expressions.items()
    }
)
