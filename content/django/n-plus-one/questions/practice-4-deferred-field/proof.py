"""Run blurbs() over three books; report its queries and any exception by class name."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Book, blurbs  # noqa: E402

for title in ("Arc", "Bay", "Cove"):
    Book.objects.create(title=title, summary=f"All about {title}.")

error = "none"
with CaptureQueriesContext(connection) as queries:
    try:
        blurbs()
    except Exception as exc:
        error = type(exc).__name__
observe(queries=len(queries), error=error)
