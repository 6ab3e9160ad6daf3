from codedrill.content.proofs import observe
from codedrill.lab.engine import Site, configure

configure(Site("urlpatterns = []\n", database=True))

from django.contrib.auth.models import User  # noqa: E402

NAMES = ["aget", "aupdate_or_create", "aiterator", "afilter", "aall", "adelete"]
facts = {name: hasattr(User.objects, name) for name in NAMES}
# The queryset itself does have adelete: it is only the manager that leaves it out.
facts["queryset_adelete"] = hasattr(User.objects.all(), "adelete")
# The deep dive's table also lists the related managers' own async methods.
manager = User(pk=1).groups  # an unsaved user with a key is enough to build the manager
related = {name: hasattr(manager, name) for name in ("aadd", "aremove", "aclear", "aset")}
assert all(related.values()), related
observe(**facts)
