"""Load the authors once, then count the queries each expression sends over all of them."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, authors_with_published  # noqa: E402


def queries(run):
    """How many queries `run()` sends, counted the way assertNumQueries counts them."""
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


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
        name: queries(lambda read=read: [read(author) for author in authors])
        for name, read in expressions.items()
    }
)
