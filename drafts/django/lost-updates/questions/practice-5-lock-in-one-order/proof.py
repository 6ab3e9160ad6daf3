"""Two threads, each with its own connection, call `move_stock(1, 2)` and `move_stock(2, 1)` at
once; items 1 and 2 start with 10 each. Each call's second SELECT is held until the other call
has reached its own (at most 1 s), so both first locks are taken before either second one
whenever the locks allow it. Report the outcomes (an error with its driver's cause) and the
stocks after, each sorted: which call PostgreSQL cancels varies."""

import contextlib
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
from lab_site import move_stock  # noqa: E402

both_locked_one = threading.Barrier(2)
outcomes = []


def call(from_pk, to_pk):
    selects = []

    def hold_second_select(execute, sql, params, many, context):
        if sql.startswith("SELECT"):
            selects.append(sql)
            if len(selects) == 2:
                # The other call waits on a lock: go on alone when the barrier breaks.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_locked_one.wait(timeout=1)
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(hold_second_select):
            outcomes.append(str(move_stock(from_pk, to_pk)))
    except Exception as exc:  # a failed call is an outcome: its class and the driver's
        outcomes.append(f"{type(exc).__name__} ({type(exc.__cause__).__name__})")
    finally:
        connection.close()


Item.objects.bulk_create([Item(pk=1, stock=10), Item(pk=2, stock=10)])
threads = [threading.Thread(target=call, args=pair) for pair in ((1, 2), (2, 1))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
stocks = sorted(Item.objects.values_list("stock", flat=True))  # which call wins varies
observe(outcomes=sorted(outcomes), stocks=stocks)
