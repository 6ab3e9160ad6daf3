"""The bookshop's three list pages. Each answers plain text, one line per row, and each sends
one more query for every row it lists."""

from django.http import HttpResponse
from django.urls import path
from lab_app.models import Author, Book


def lines(rows):
    return HttpResponse("\n".join(rows), content_type="text/plain")


def books(request):
    """Every book, by title, with its author."""
    found = Book.objects.order_by("title")
    return lines(f"{book.title} by {book.author.name}" for book in found)


def tagged(request):
    """Every book, by title, with its tags in name order."""
    rows = []
    for book in Book.objects.order_by("title"):
        names = ", ".join(tag.name for tag in book.tags.order_by("name"))
        rows.append(f"{book.title}: {names or 'no tags'}")
    return lines(rows)


def authors(request):
    """Every author, by name, with how many books they wrote."""
    found = Author.objects.order_by("name")
    return lines(f"{author.name}: {author.books.count()}" for author in found)


urlpatterns = [
    path("books/", books),
    path("tagged/", tagged),
    path("authors/", authors),
]
