"""Call `page_books(2)`, check that one query read the book table (the prefetch), and count
the book rows it handed out."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from django.db import connection  # noqa: E402
from lab_app.models import Author, Book, page_books  # noqa: E402

for books, name in enumerate(("Ann", "Ben", "Cy", "Dee", "Eve"), start=1):
    author = Author.objects.create(name=name)
    Book.objects.bulk_create(Book(title=f"{name} {n}", author=author) for n in range(books))

book_queries = []


def note_book_queries(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if 'FROM "lab_app_book"' in sql:
        book_queries.append(sql)
    return result


with connection.execute_wrapper(note_book_queries):
    shelves = page_books(2)
assert list(shelves) == ["Cy", "Dee"] and len(book_queries) == 1, (shelves, book_queries)
observe(answer=str(sum(len(titles) for titles in shelves.values())))
