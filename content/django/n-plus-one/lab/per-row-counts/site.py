"""Each author with how many books they wrote, four ways.

`/count-per-author/` asks the database once per author. `/annotate/` has the database count
every author's books in the list's own query. `/prefetch-len/` loads every author's books in one
more query and counts them in Python. `/prefetch-count/` loads them the same way, then calls
`.count()` on the related manager.
"""

from django.db.models import Count
from django.http import HttpResponse
from django.urls import path
from lab_app.models import Author, Book


def seed(rows):
    """`rows` authors, the n-th with n % 4 + 1 books."""
    authors = Author.objects.bulk_create(Author(name=f"Author {n}") for n in range(rows))
    Book.objects.bulk_create(
        Book(title=f"Book {n}.{k}", author=author)
        for n, author in enumerate(authors)
        for k in range(n % 4 + 1)
    )


def _page(pairs):
    lines = (f"{author.name}: {books} books" for author, books in pairs)
    return HttpResponse("\n".join(lines), content_type="text/plain")


def count_per_author(request):
    return _page((a, a.books.count()) for a in Author.objects.order_by("pk"))


def annotate(request):
    authors = Author.objects.annotate(book_count=Count("books")).order_by("pk")
    return _page((a, a.book_count) for a in authors)


def prefetch_len(request):
    authors = Author.objects.prefetch_related("books").order_by("pk")
    return _page((a, len(a.books.all())) for a in authors)


def prefetch_count(request):
    authors = Author.objects.prefetch_related("books").order_by("pk")
    return _page((a, a.books.count()) for a in authors)


urlpatterns = [
    path("count-per-author/", count_per_author),
    path("annotate/", annotate),
    path("prefetch-len/", prefetch_len),
    path("prefetch-count/", prefetch_count),
]
