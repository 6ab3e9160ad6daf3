"""Call the function for Ben's book; report the exception's class name (or the result) and
the queries sent."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from lab_app.models import Author, Book, Profile, bio_of  # noqa: E402

ann, ben = Author.objects.create(name="Ann"), Author.objects.create(name="Ben")
Profile.objects.create(author=ann, bio="Ann's bio")
Book.objects.create(title="Ann one", author=ann)
Book.objects.create(title="Ben one", author=ben)

assert bio_of("Ann one") == "Ann's bio"
with CaptureQueriesContext(connection) as captured:
    try:
        outcome = str(bio_of("Ben one"))
    except Exception as exc:
        outcome = type(exc).__name__
observe(outcome=outcome, queries=len(captured))
