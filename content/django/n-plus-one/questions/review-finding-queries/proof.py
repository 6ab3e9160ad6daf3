"""Probe page() four ways, each on its own and in a fresh state, with DEBUG False; report what
each probe saw."""

import logging

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import TransactionTestCase  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, page  # noqa: E402

assert settings.DEBUG is False
for name in ("Ann", "Bo", "Cy"):
    Book.objects.create(title=f"{name}'s book", author=Author.objects.create(name=name))


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


reset_queries()
page()
connection_queries = len(connection.queries)

logger = logging.getLogger("django.db.backends")
logger.setLevel(logging.DEBUG)
records = Records()
logger.addHandler(records)
page()
logger.removeHandler(records)

with CaptureQueriesContext(connection) as queries:
    page()


class Probe(TransactionTestCase):
    def runTest(self):
        pass


try:
    Probe().assertNumQueries(4, page)
    assert_num_queries = "passes"
except AssertionError:
    assert_num_queries = "fails"

observe(
    capture=len(queries),
    connection_queries=connection_queries,
    logged=records.count,
    assert_num_queries=assert_num_queries,
)
