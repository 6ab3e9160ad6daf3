"""One list page four ways: each line names a book, its author and its tags.

`/plain/` loads the books alone, so every `book.author` and every `book.tags.all()` goes back to
the database. `/select-related/` joins the author into the list's query. `/prefetch-related/`
also loads every book's tags in one more query. `/prefetch-object/` does the same with a
`Prefetch` whose queryset sorts the tags, kept on each book as `sorted_tags`.
"""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import path
from lab_app.models import Author, Book, Tag

TAG_NAMES = ("django", "orm", "sql", "web")


def seed(rows):
    """`rows` books, by ten authors, with two tags each."""
    authors = Author.objects.bulk_create(Author(name=f"Author {n}") for n in range(10))
    tags = Tag.objects.bulk_create(Tag(name=name) for name in TAG_NAMES)
    books = Book.objects.bulk_create(
        Book(title=f"Book {n}", author=authors[n % len(authors)]) for n in range(rows)
    )
    Book.tags.through.objects.bulk_create(
        Book.tags.through(book=book, tag=tags[(n + step) % len(tags)])
        for n, book in enumerate(books)
        for step in (0, 1)
    )


def _page(books, tags_of):
    """One line per book; `tags_of(book)` gives its tags. Every attribute read here is where a
    query may hide."""
    lines = (
        f"{book.title} by {book.author.name}: {', '.join(tag.name for tag in tags_of(book))}"
        for book in books
    )
    return HttpResponse("\n".join(lines), content_type="text/plain")


def plain(request):
    return _page(Book.objects.order_by("pk"), lambda book: book.tags.all())


def select_related(request):
    books = Book.objects.select_related("author").order_by("pk")
    return _page(books, lambda book: book.tags.all())


def prefetch_related(request):
    books = Book.objects.select_related("author").prefetch_related("tags").order_by("pk")
    return _page(books, lambda book: book.tags.all())


def prefetch_object(request):
    sorted_tags = Prefetch("tags", queryset=Tag.objects.order_by("name"), to_attr="sorted_tags")
    books = Book.objects.select_related("author").prefetch_related(sorted_tags).order_by("pk")
    return _page(books, lambda book: book.sorted_tags)


urlpatterns = [
    path("plain/", plain),
    path("select-related/", select_related),
    path("prefetch-related/", prefetch_related),
    path("prefetch-object/", prefetch_object),
]
