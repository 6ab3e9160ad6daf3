"""Count the queries of one call each way, with DEBUG off as the site's settings have it."""

from codedrill.content.proofs import code, count_queries, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from django.db import connection  # noqa: E402
from lab_app.models import Author, Book, titles_with_authors  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, published=True)
    Book.objects.create(title=f"{name} two", author=author, published=False)

import io  # noqa: E402
import logging  # noqa: E402
import unittest  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db import reset_queries  # noqa: E402
from django.test import TestCase  # noqa: E402

assert settings.DEBUG is False
reset_queries()
titles_with_authors()
queries_list = len(connection.queries)

lines = io.StringIO()
logger = logging.getLogger("django.db.backends")
logger.setLevel(logging.DEBUG)
handler = logging.StreamHandler(lines)
logger.addHandler(handler)
titles_with_authors()
logged = len(lines.getvalue().splitlines())
logger.removeHandler(handler)
logger.setLevel(logging.NOTSET)


class Count(TestCase):
    def test_seven(self):
        with self.assertNumQueries(7):
            titles_with_authors()


result = unittest.TextTestRunner(stream=io.StringIO()).run(
    unittest.defaultTestLoader.loadTestsFromTestCase(Count)
)
observe(
    capture=count_queries(titles_with_authors),
    queries_list=queries_list,
    assert_num_queries=7 if result.wasSuccessful() else "failed",
    logging=logged,
)
