"""Run book_feed() over three books, one without an editor, and name its query; report the
joins in its SQL, the rows it returned, and the queries of the same feed without select_related."""

import re

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Book, Person, book_feed  # noqa: E402

ann, bo, eve = (Person.objects.create(name=name) for name in ("Ann", "Bo", "Eve"))
for title, author, editor in [("Arc", ann, eve), ("Bay", bo, None), ("Cove", ann, eve)]:
    Book.objects.create(title=title, author=author, editor=editor)


def event(sql):
    joined = sql.count('JOIN "lab_app_person"') == 2
    return "joined-books" if 'FROM "lab_app_book"' in sql and joined else sql


with CaptureQueriesContext(connection) as queries:
    feed = book_feed()
assert [row["editor"] for row in feed] == ["Eve", None, "Eve"], feed
sql = queries.captured_queries[0]["sql"]

# The same serializer over a queryset without select_related.
with CaptureQueriesContext(connection) as plain:
    [book.to_dict() for book in Book.objects.order_by("title")]

observe(
    events=[event(query["sql"]) for query in queries.captured_queries],
    joins=", ".join(re.findall(r"(?:INNER|LEFT OUTER) JOIN", sql)),
    books_returned=len(feed),
    queries_without=len(plain),
)
