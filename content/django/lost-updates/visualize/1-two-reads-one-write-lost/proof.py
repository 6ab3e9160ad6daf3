"""Run `buy(1)` as request A and request B, each in its own thread and connection, on
PostgreSQL, in the order the trace shows: A reads, B reads, A writes, B writes. Record each
statement as it completes, what B read, whether B failed, and the final stock."""

import threading

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

MODELS = """
from django.db import models


class Item(models.Model):
    stock = models.IntegerField()
"""
configure(Site(code() + "\nurlpatterns = []\n", models=MODELS, database="postgresql"))

from django.db import connection  # noqa: E402
from lab_app.models import Item  # noqa: E402
from lab_site import buy  # noqa: E402

events, read, errors = [], {}, {}
a_read, b_read, a_done = threading.Event(), threading.Event(), threading.Event()


def request(who, before_write, after_read):
    def record(execute, sql, params, many, context):
        if sql.startswith("UPDATE"):
            before_write.wait(timeout=5)
        result = execute(sql, params, many, context)
        events.append(f"{who}-{'writes' if sql.startswith('UPDATE') else 'reads'}")
        if sql.startswith("SELECT"):
            after_read.set()
        return result

    try:
        with connection.execute_wrapper(record):
            read[who] = buy(1)
    except Exception as exc:  # a failed write is an outcome, named by its class
        errors[who] = type(exc).__name__
    finally:
        connection.close()


Item.objects.create(pk=1, stock=10)
a = threading.Thread(target=request, args=("a", b_read, a_read))
b = threading.Thread(target=request, args=("b", a_done, b_read))
a.start()
a_read.wait(timeout=5)
b.start()
a.join()
a_done.set()
b.join()
stock = Item.objects.get(pk=1).stock
observe(events=events, b_read=read.get("b"), b_error=errors.get("b", "none"), stock=stock)
