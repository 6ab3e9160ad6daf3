"""Two buyers call each `buy...` function of the code at once, in threads of their own, each with
its own database connection, on an item that starts with STOCK. Each buyer's first write is
held until the other buyer reaches its own first write, or for 1 s when the other is blocked on
a lock: both reads come before either write whenever the database lets them."""

from codedrill.content.proofs import code, observe, two_at_once
from codedrill.lab.engine import Site, configure

DATABASE = "postgresql"
STOCK = 10
DATABASE_OPTIONS = ()
MODELS = """
from django.db import models


class Item(models.Model):
    stock = models.IntegerField()
"""
configure(
    Site(
        code() + "\nurlpatterns = []\n",
        models=MODELS,
        database=DATABASE,
        database_options=DATABASE_OPTIONS,
    )
)

import lab_site  # noqa: E402
from lab_app.models import Item  # noqa: E402


def race(buy):
    Item.objects.update_or_create(pk=1, defaults={"stock": STOCK})
    outcomes = two_at_once(lambda: buy(1))
    return {"outcomes": outcomes, "stock": Item.objects.get(pk=1).stock}


facts = {}
for name in dir(lab_site):
    if name.startswith("buy"):
        for fact, value in race(getattr(lab_site, name)).items():
            facts[f"{name}_{fact}"] = value
observe(**facts)
