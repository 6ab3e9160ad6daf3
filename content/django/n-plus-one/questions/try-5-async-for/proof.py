"""Await titles() through async_to_sync, so that the ORM's thread-sensitive calls run on this
thread and its connection, where CaptureQueriesContext counts them; report the result, the
queries and any exception by class name."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from asgiref.sync import async_to_sync  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, titles  # noqa: E402

for title, name in [("Emma", "Jane"), ("Dune", "Frank"), ("Ubik", "Philip")]:
    Book.objects.create(title=title, author=Author.objects.create(name=name))

result, error = None, "none"
with CaptureQueriesContext(connection) as queries:
    try:
        result = async_to_sync(titles)()
    except Exception as exc:  # a wrong fill may raise; its class is the observation
        error = type(exc).__name__
observe(queries=len(queries), titles=result, error=error)
