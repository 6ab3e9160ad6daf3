"""Step the generator one step at a time and count the queries each step sends."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, steps  # noqa: E402

for name in ("Ann", "Ben", "Cy"):
    author = Author.objects.create(name=name)
    Book.objects.create(title=f"{name} one", author=author, published=True)
    Book.objects.create(title=f"{name} two", author=author, published=False)

counts = {}
walk = steps()
while True:
    with CaptureQueriesContext(connection) as captured:
        name = next(walk, None)
    if name is None:
        break
    counts[name] = len(captured)
observe(**counts)
