"""Record the messages and, through connection.execute_wrapper, every query, in one list."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from django.db import connection  # noqa: E402
from lab_app.models import Author, Book, report  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, published=True)
    Book.objects.create(title=f"{name} two", author=author, published=False)

entries = []


def record_query(execute, sql, params, many, context):
    entries.append("query")
    return execute(sql, params, many, context)


with connection.execute_wrapper(record_query):
    report(entries.append)
observe(order=entries)
