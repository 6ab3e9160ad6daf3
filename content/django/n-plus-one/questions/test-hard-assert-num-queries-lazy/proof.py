"""Run the test class with unittest's runner and read the count from the failure message."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, BookListTests  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, published=True)
    Book.objects.create(title=f"{name} two", author=author, published=False)

import io  # noqa: E402
import re  # noqa: E402
import unittest  # noqa: E402

result = unittest.TextTestRunner(stream=io.StringIO()).run(
    unittest.defaultTestLoader.loadTestsFromTestCase(BookListTests)
)
assert result.testsRun == 1 and not result.errors, result.errors
if result.wasSuccessful():
    observe(result="passed")
else:
    message = result.failures[0][1]
    executed = int(re.search(r"(\d+) queries executed", message).group(1))
    observe(result="failed", executed=executed)
