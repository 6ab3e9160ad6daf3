"""Two requests call `pay("7f3a")` at once (a retry that arrives while the first attempt
runs), in threads with their own connections. Each request's first INSERT is held until the
other has reached its own (at most 1 s). Report what the calls returned (sorted), the purchases
stored and the stock."""

import contextlib
import threading

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

MODELS = """
from django.db import models


class Item(models.Model):
    stock = models.IntegerField()


class Purchase(models.Model):
    key = models.CharField(max_length=40, unique=True)
"""
configure(Site(code() + "\nurlpatterns = []\n", models=MODELS, database="postgresql"))

from django.db import connection  # noqa: E402
from lab_app.models import Item, Purchase  # noqa: E402
from lab_site import pay  # noqa: E402

both_there = threading.Barrier(2)
outcomes = []


def request():
    held = []

    def hold_first_insert(execute, sql, params, many, context):
        if not held and sql.startswith("INSERT"):
            held.append(sql)
            # The other request is blocked: go on alone when the barrier breaks.
            with contextlib.suppress(threading.BrokenBarrierError):
                both_there.wait(timeout=1)
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(hold_first_insert):
            outcomes.append(str(pay("7f3a")))
    except Exception as exc:  # a failed call is an outcome, named by its class
        outcomes.append(type(exc).__name__)
    finally:
        connection.close()


Item.objects.create(pk=1, stock=10)
threads = [threading.Thread(target=request) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
purchases, stock = Purchase.objects.count(), Item.objects.get(pk=1).stock
observe(outcomes=sorted(outcomes), purchases=purchases, stock=stock)
