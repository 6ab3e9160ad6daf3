"""Call the function for Ann and report what it returns."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []", models=code()))

from lab_app.models import Author, Book, workload  # noqa: E402

ann, ben = Author.objects.create(name="Ann"), Author.objects.create(name="Ben")
for title in ("Ann one", "Ann two"):
    Book.objects.create(title=title, author=ann, editor=ann)
Book.objects.create(title="Ben one", author=ben, editor=ann)
Book.objects.create(title="Ben two", author=ben)

observe(answer=workload("Ann"))
