"""Four ways to load a list of titles, and one way `only()` goes wrong.

`/all-fields/` loads every column. `/only-title/` loads the id and the title alone.
`/only-title-reads-blurb/` loads the same, then reads `book.blurb`, a field it left out: Django
loads a deferred field the moment it is read, with one query for that one book.
`/values-list/` asks for the titles as plain strings, with no model instances at all.
"""

from django.http import HttpResponse
from django.urls import path
from lab_app.models import Book

BLURB = "A long description of the book, much longer than its title. " * 40


def seed(rows):
    """`rows` books, each with a blurb of about 2,400 characters."""
    Book.objects.bulk_create(Book(title=f"Book {n}", blurb=BLURB) for n in range(rows))


def _page(lines):
    return HttpResponse("\n".join(lines), content_type="text/plain")


def all_fields(request):
    return _page(f"{book.title} ({len(book.blurb)} characters)" for book in Book.objects.all())


def only_title(request):
    return _page(book.title for book in Book.objects.only("title"))


def only_title_reads_blurb(request):
    books = Book.objects.only("title")
    return _page(f"{book.title} ({len(book.blurb)} characters)" for book in books)


def values_list(request):
    return _page(Book.objects.values_list("title", flat=True))


urlpatterns = [
    path("all-fields/", all_fields),
    path("only-title/", only_title),
    path("only-title-reads-blurb/", only_title_reads_blurb),
    path("values-list/", values_list),
]
