"""Evaluate each function's queryset inside transaction.atomic() on PostgreSQL, with one order
in the table; report how many rows it returned, or the class of what it raised."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

MODELS = """
from django.db import models


class Item(models.Model):
    stock = models.IntegerField()


class Order(models.Model):
    item = models.ForeignKey(Item, null=True, on_delete=models.SET_NULL)
"""
configure(Site(code() + "\nurlpatterns = []\n", models=MODELS, database="postgresql"))

import lab_site  # noqa: E402
from django.db import transaction  # noqa: E402
from lab_app.models import Item, Order  # noqa: E402

Order.objects.create(item=Item.objects.create(stock=10))
facts = {}
for name in ("plain", "of_self", "no_join"):
    try:
        with transaction.atomic():
            facts[name] = len(list(getattr(lab_site, name)()))
    except Exception as exc:  # what the queryset raised is the observation
        facts[name] = type(exc).__name__
observe(**facts)
