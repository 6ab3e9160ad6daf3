"""Load the authors once, then count the queries each expression sends over all of them."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, authors  # noqa: E402


def queries(run):
    """How many queries `run()` sends, counted the way assertNumQueries counts them."""
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


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
        name: queries(lambda read=read: [read(author) for author in loaded])
        for name, read in expressions.items()
    }
)
