"""Each author with their published books: a prefetch, and what undoes it.

All three views prefetch the books. `/filter-after-prefetch/` then calls
`author.books.filter(published=True)`: a new query, which the prefetched rows cannot answer.
`/prefetch-object/` puts the filter in the prefetch itself, with `Prefetch(queryset=...,
to_attr=...)`. `/filter-in-python/` keeps the plain prefetch and picks the published books from
the loaded rows.
"""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import path
from lab_app.models import Author, Book


def seed(rows):
    """`rows` authors with three books each, two of them published."""
    authors = Author.objects.bulk_create(Author(name=f"Author {n}") for n in range(rows))
    Book.objects.bulk_create(
        Book(title=f"Book {n}.{k}", author=author, published=k < 2)
        for n, author in enumerate(authors)
        for k in range(3)
    )


def _page(authors, published_of):
    lines = (
        f"{author.name}: {', '.join(book.title for book in published_of(author))}"
        for author in authors
    )
    return HttpResponse("\n".join(lines), content_type="text/plain")


def filter_after_prefetch(request):
    authors = Author.objects.prefetch_related("books").order_by("pk")
    return _page(authors, lambda author: author.books.filter(published=True))


def prefetch_object(request):
    published = Prefetch(
        "books", queryset=Book.objects.filter(published=True), to_attr="published_books"
    )
    authors = Author.objects.prefetch_related(published).order_by("pk")
    return _page(authors, lambda author: author.published_books)


def filter_in_python(request):
    authors = Author.objects.prefetch_related("books").order_by("pk")
    return _page(authors, lambda author: [b for b in author.books.all() if b.published])


urlpatterns = [
    path("filter-after-prefetch/", filter_after_prefetch),
    path("prefetch-object/", prefetch_object),
    path("filter-in-python/", filter_in_python),
]
