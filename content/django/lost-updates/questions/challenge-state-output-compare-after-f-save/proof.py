"""Two buyers call each `buy...` function of the code at once, in threads of their own, each with
its own database connection, on an item that starts with STOCK. Each buyer's first write is
held until the other buyer reaches its own first write, or for 1 s when the other is blocked on
a lock: both reads come before either write whenever the database lets them."""

import contextlib
import threading

from codedrill.content.proofs import code, observe
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
from django.db import connection  # noqa: E402
from lab_app.models import Item  # noqa: E402


def race(buy):
    both_there = threading.Barrier(2)
    outcomes = []

    def buyer():
        held = []

        def hold_first_write(execute, sql, params, many, context):
            if not held and sql.startswith(("UPDATE", "INSERT")):
                held.append(sql)
                # The other buyer waits on a lock: write alone when the barrier breaks.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_there.wait(timeout=1)
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(hold_first_write):
                outcomes.append(str(buy(1)))
        except Exception as exc:  # a failed sale is an outcome, named by its class
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    Item.objects.update_or_create(pk=1, defaults={"stock": STOCK})
    threads = [threading.Thread(target=buyer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"outcomes": sorted(outcomes), "stock": Item.objects.get(pk=1).stock}


facts = {}
for name in dir(lab_site):
    if name.startswith("buy"):
        for fact, value in race(getattr(lab_site, name)).items():
            facts[f"{name}_{fact}"] = value
observe(**facts)
