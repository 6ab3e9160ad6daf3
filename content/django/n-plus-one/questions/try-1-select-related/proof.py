"""Run shelf() over three books by three authors; report its result and how many queries it ran."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, shelf  # noqa: E402

for title, name in [("Emma", "Jane"), ("Dune", "Frank"), ("Ubik", "Philip")]:
    Book.objects.create(title=title, author=Author.objects.create(name=name))

with CaptureQueriesContext(connection) as queries:
    result = shelf()
observe(queries=len(queries), shelf=result)
