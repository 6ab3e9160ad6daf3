"""Counting books four ways, with and without the list itself.

`/count/` asks the database to count. `/len/` loads every book, then counts the list in Python.
`/count-then-list/` counts with `.count()`, then lists the titles from the same queryset.
`/len-then-list/` counts with `len()`, then lists the titles from the same queryset.
"""

from django.http import HttpResponse
from django.urls import path
from lab_app.models import Book

BLURB = "A long description of the book, much longer than its title. " * 400


def seed(rows):
    """`rows` books, each with a blurb of about 24,000 characters."""
    Book.objects.bulk_create(Book(title=f"Book {n}", blurb=BLURB) for n in range(rows))


def count(request):
    return HttpResponse(f"{Book.objects.count()} books")


def length(request):
    return HttpResponse(f"{len(Book.objects.all())} books")


def count_then_list(request):
    books = Book.objects.all()
    total = books.count()  # a COUNT query; the queryset stays unevaluated
    titles = ", ".join(book.title for book in books)  # the rows, in a second query
    return HttpResponse(f"{total} books: {titles}")


def len_then_list(request):
    books = Book.objects.all()
    total = len(books)  # loads the rows and keeps them in the queryset's cache
    titles = ", ".join(book.title for book in books)  # read from that cache
    return HttpResponse(f"{total} books: {titles}")


urlpatterns = [
    path("count/", count),
    path("len/", length),
    path("count-then-list/", count_then_list),
    path("len-then-list/", len_then_list),
]
