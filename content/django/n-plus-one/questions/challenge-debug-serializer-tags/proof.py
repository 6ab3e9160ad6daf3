"""Swap each line into `book_list`, check the data, and count the queries it sends."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, Tag, book_list  # noqa: E402


def outcome(run):
    """The query count, or the class name of the exception `run()` raised."""
    try:
        return count_queries(run)
    except Exception as exc:
        return type(exc).__name__


tags = [Tag.objects.create(name=name) for name in ("new", "classic")]
for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    for title in (f"{name} one", f"{name} two"):
        Book.objects.create(title=title, author=author).tags.set(tags)

import lab_app.models as shown  # noqa: E402

FUNCTIONS = code()[code().index("\ndef ") :]  # the shown functions, after the models


def variant(old, new, name):
    """The shown function `name`, with the text `old` replaced by `new`."""
    assert old in FUNCTIONS, old
    namespace = dict(vars(shown))
    exec(FUNCTIONS.replace(old, new), namespace)  # noqa: S102 - the question's own code
    return namespace[name]


LINE = 'books = Book.objects.select_related("author")'
expected = book_list()
candidates = {
    "select_both": 'books = Book.objects.select_related("author", "tags")',
    "select_and_prefetch": 'books = Book.objects.select_related("author").prefetch_related("tags")',
    "prefetch_both": 'books = Book.objects.prefetch_related("author", "tags")',
    "prefetch_tags_only": 'books = Book.objects.prefetch_related("tags")',
}


def listed(line):
    assert variant(LINE, line, "book_list")() == expected


assert count_queries(book_list) == 7
observe(**{name: outcome(lambda line=line: listed(line)) for name, line in candidates.items()})
