"""Run `buy(1)` as request A and request B, each in its own thread and connection, on
PostgreSQL: B starts once A holds the lock, and A writes once B has asked for the row. Record
when B asks, and each statement as it completes; report what B read and the final stock."""

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

events, read = [], {}
a_locked, b_asked = threading.Event(), threading.Event()


def request(who):
    def record(execute, sql, params, many, context):
        is_read = sql.startswith("SELECT")
        if who == "b" and is_read:
            events.append("b-asks")
            b_asked.set()
        if who == "a" and not is_read:
            b_asked.wait(timeout=5)
        result = execute(sql, params, many, context)
        events.append(
            f"{who}-{'locks' if who == 'a' and is_read else 'reads' if is_read else 'writes'}"
        )
        if who == "a" and is_read:
            a_locked.set()
        return result

    with connection.execute_wrapper(record):
        read[who] = buy(1)
    connection.close()


Item.objects.create(pk=1, stock=10)
a = threading.Thread(target=request, args=("a",))
b = threading.Thread(target=request, args=("b",))
a.start()
a_locked.wait(timeout=5)
b.start()
a.join()
b.join()
observe(events=events, b_read=read["b"], stock=Item.objects.get(pk=1).stock)
