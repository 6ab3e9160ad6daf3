"""Call the code's `main()` once (awaited, if it is a coroutine function), with item 1 in stock
10, and report what it returned (or the class of what it raised) and the stock afterwards."""

import asyncio
import inspect

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

DATABASE = "sqlite"
MODELS = """
from django.db import models


class Item(models.Model):
    stock = models.IntegerField()


class Order(models.Model):
    item = models.ForeignKey(Item, null=True, on_delete=models.SET_NULL)


class Coupon(models.Model):
    code = models.CharField(max_length=20, unique=True)
"""
configure(Site(code() + "\nurlpatterns = []\n", models=MODELS, database=DATABASE))

import lab_site  # noqa: E402
from lab_app.models import Item  # noqa: E402

Item.objects.create(pk=1, stock=10)
try:
    result = lab_site.main()
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
except Exception as exc:  # what the code raised is the observation
    result = type(exc).__name__
facts = {"order": result} if isinstance(result, list) else {"answer": str(result)}
observe(**facts, stock=Item.objects.get(pk=1).stock)
