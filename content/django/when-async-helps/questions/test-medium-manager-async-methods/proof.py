from codedrill.content.proofs import observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", database=True))

from django.contrib.auth.models import User  # noqa: E402

NAMES = ["aget", "aupdate_or_create", "aiterator", "afilter", "aall", "adelete"]
facts = {name: hasattr(User.objects, name) for name in NAMES}
# The queryset itself does have adelete: it is only the manager that leaves it out.
facts["queryset_adelete"] = hasattr(User.objects.all(), "adelete")
observe(**facts)
