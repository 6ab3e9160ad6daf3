"""The holder locks item 1 and keeps it until the buyer has tried; the buyer calls `buy(1)`
meanwhile, in its own thread and connection. Report what the buyer got and the stock after."""

import threading

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

MODELS = """
from django.db import models


class Item(models.Model):
    stock = models.IntegerField()
"""
configure(Site(code() + "\nurlpatterns = []\n", models=MODELS, database="postgresql"))

from django.db import connection, transaction  # noqa: E402
from lab_app.models import Item  # noqa: E402
from lab_site import buy  # noqa: E402

locked, tried = threading.Event(), threading.Event()
outcome = []


def holder():
    with transaction.atomic():
        Item.objects.select_for_update().get(pk=1)
        locked.set()
        tried.wait(timeout=5)
    connection.close()


def buyer():
    locked.wait()
    try:
        outcome.append(str(buy(1)))
    except Exception as exc:  # what the buyer got is the observation
        outcome.append(type(exc).__name__)
    finally:
        tried.set()
        connection.close()


Item.objects.create(pk=1, stock=10)
threads = [threading.Thread(target=holder), threading.Thread(target=buyer)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
observe(buyer=outcome[0], stock=Item.objects.get(pk=1).stock)
