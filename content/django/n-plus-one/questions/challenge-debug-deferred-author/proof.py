"""Swap each replacement body into the function, check its list, and count its queries."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, title_and_author  # noqa: E402


def outcome(run):
    """The query count, or the class name of the exception `run()` raised."""
    try:
        return count_queries(run)
    except Exception as exc:
        return type(exc).__name__


for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, published=True)
    Book.objects.create(title=f"{name} two", author=author, published=False)

import lab_app.models as shown  # noqa: E402

FUNCTIONS = code()[code().index("\ndef ") :]  # the shown functions, after the models


def variant(old, new, name):
    """The shown function `name`, with the text `old` replaced by `new`."""
    assert old in FUNCTIONS, old
    namespace = dict(vars(shown))
    exec(FUNCTIONS.replace(old, new), namespace)  # noqa: S102 - the question's own code
    return namespace[name]


BODY = """\
    books = Book.objects.only("title")
    return [(book.title, book.author.name) for book in books]"""
RETURN = "\n    return [(book.title, book.author.name) for book in books]"
bodies = {
    "only_select": '    books = Book.objects.only("title").select_related("author")' + RETURN,
    "only_author_id": '    books = Book.objects.only("title", "author_id")' + RETURN,
    "values_list": '    return list(Book.objects.values_list("title", "author__name"))',
    "defer": '    books = Book.objects.defer("published")' + RETURN,
}
expected = title_and_author()


def checked(body):
    assert variant(BODY, body, "title_and_author")() == expected


assert count_queries(title_and_author) == 13
observe(**{name: outcome(lambda body=body: checked(body)) for name, body in bodies.items()})
