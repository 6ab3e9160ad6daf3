"""The bookshop's three list pages. Each answers plain text, one line per row, in a fixed
number of queries however many rows there are."""

from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.urls import path
from lab_app.models import Author, Book, Tag


def lines(rows):
    return HttpResponse("\n".join(rows), content_type="text/plain")


def books(request):
    """Every book, by title, with its author: one query, the author joined in."""
    found = Book.objects.select_related("author").order_by("title")
    return lines(f"{book.title} by {book.author.name}" for book in found)


def tagged(request):
    """Every book, by title, with its tags in name order: two queries, the books and then
    every book's tags at once, already sorted."""
    in_order = Prefetch("tags", queryset=Tag.objects.order_by("name"))
    rows = []
    for book in Book.objects.prefetch_related(in_order).order_by("title"):
        names = ", ".join(tag.name for tag in book.tags.all())
        rows.append(f"{book.title}: {names or 'no tags'}")
    return lines(rows)


def authors(request):
    """Every author, by name, with how many books they wrote: one query, counted by the
    database."""
    found = Author.objects.annotate(book_count=Count("books")).order_by("name")
    return lines(f"{author.name}: {author.book_count}" for author in found)


urlpatterns = [
    path("books/", books),
    path("tagged/", tagged),
    path("authors/", authors),
]
