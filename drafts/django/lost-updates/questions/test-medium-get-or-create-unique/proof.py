"""Two requests call `claim()` at once, in threads with their own connections. Each request's
first INSERT is held until the other has reached its own (at most 1 s), so both look before
either creates. Report what the two calls returned (sorted) and the rows in each table."""

import contextlib
import threading

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

MODELS = """
from django.db import models


class Coupon(models.Model):
    code = models.CharField(max_length=20, unique=True)


class Visit(models.Model):
    page = models.CharField(max_length=20)
"""
configure(Site(code() + "\nurlpatterns = []\n", models=MODELS, database="postgresql"))

from django.db import connection  # noqa: E402
from lab_app.models import Coupon, Visit  # noqa: E402
from lab_site import claim  # noqa: E402

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
            outcomes.append(str(claim()))
    except Exception as exc:  # a failed call is an outcome, named by its class
        outcomes.append(type(exc).__name__)
    finally:
        connection.close()


threads = [threading.Thread(target=request) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
observe(outcomes=sorted(outcomes), coupons=Coupon.objects.count(), visits=Visit.objects.count())
