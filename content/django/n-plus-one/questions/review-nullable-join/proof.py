"""Run credits() over three books, one without an editor; report the queries, the kind of join
in the SQL and how many rows came back."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Book, Person, credits  # noqa: E402

ann, bo = Person.objects.create(name="Ann"), Person.objects.create(name="Bo")
for title, editor in [("Arc", ann), ("Bay", None), ("Cove", bo)]:
    Book.objects.create(title=title, editor=editor)

with CaptureQueriesContext(connection) as queries:
    rows = credits()
sql = queries.captured_queries[0]["sql"]
join = next((j for j in ("LEFT OUTER JOIN", "INNER JOIN") if j in sql), "no join")
observe(queries=len(queries), join=join, rows=len(rows))
