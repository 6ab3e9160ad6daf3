"""Await labels() through async_to_sync, so the ORM's thread-sensitive calls run on this
thread's connection, where CaptureQueriesContext counts them; report queries and any exception."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from asgiref.sync import async_to_sync  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, labels  # noqa: E402

for title, name in [("Emma", "Jane"), ("Dune", "Frank"), ("Ubik", "Philip")]:
    Book.objects.create(title=title, author=Author.objects.create(name=name))

error = "none"
with CaptureQueriesContext(connection) as queries:
    try:
        async_to_sync(labels)()
    except Exception as exc:
        error = type(exc).__name__
observe(queries=len(queries), error=error)
