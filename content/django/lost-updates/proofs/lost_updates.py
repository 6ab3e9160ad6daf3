"""What this pattern's proofs share: each question's proof.py names its setup and calls one of
these. `codedrill check` gives every proof run this file beside its own; to run a proof by hand,
from its folder: `PYTHONPATH=../../proofs python proof.py`.

Each function sets the question's code up as the site (`configure`), runs it the way its
docstring says and reports with `observe`. Races are held by `two_at_once` or by a lock holder
that waits until the other thread is done or waits on its lock: never on a clock, so one run
decides a key.
"""

import asyncio
import functools
import inspect
import threading

from codedrill.content.proofs import code, observe, two_at_once
from codedrill.lab.engine import Server, Site, configure, run

ITEM = """
from django.db import models


class Item(models.Model):
    stock = models.IntegerField()
"""
ORDER = """

class Order(models.Model):
    item = models.ForeignKey(Item, null=True, on_delete=models.SET_NULL)
"""
COUPON = """

class Coupon(models.Model):
    code = models.CharField(max_length=20, unique=True)
"""
PURCHASE = """

class Purchase(models.Model):
    key = models.CharField(max_length=40, unique=True)
"""
VISIT = """

class Visit(models.Model):
    page = models.CharField(max_length=20)
"""
JOB = """
from django.db import models


class Job(models.Model):
    name = models.CharField(max_length=20)
"""
STUCK_SECONDS = 30  # a bound for a proof gone wrong, never a part of an observation


def _site(models: str, database: str, database_options=()) -> None:
    site = Site(
        code() + "\nurlpatterns = []\n",
        models=models,
        database=database,
        database_options=database_options,
    )
    configure(site)


def call_main(database: str) -> None:
    """Call the code's `main()` once (awaited, if it is a coroutine function), with item 1 in
    stock 10, and report what it returned (or the class of what it raised) and the stock
    afterwards: a dict as one fact per name, a list as `order`, anything else as `answer`."""
    _site(ITEM + ORDER + COUPON, database)
    import lab_site
    from lab_app.models import Item

    Item.objects.create(pk=1, stock=10)
    try:
        result = lab_site.main()
        if inspect.iscoroutine(result):
            result = asyncio.run(result)
    except Exception as exc:  # what the code raised is the observation
        result = type(exc).__name__
    if isinstance(result, dict):
        facts = result
    elif isinstance(result, list):
        facts = {"order": result}
    else:
        facts = {"answer": str(result)}
    observe(**facts, stock=Item.objects.get(pk=1).stock)


def race_each_buy(database: str, stock: int = 10, database_options=()) -> None:
    """Two buyers call each `buy...` function of the code at once (`two_at_once`), on an item
    that starts with `stock`: both reads come before either write whenever the database lets
    them. Report, per function, the two outcomes and the stock after."""
    _site(ITEM, database, database_options)
    import lab_site
    from lab_app.models import Item

    facts = {}
    for name in dir(lab_site):
        if name.startswith("buy"):
            Item.objects.update_or_create(pk=1, defaults={"stock": stock})
            facts[f"{name}_outcomes"] = two_at_once(functools.partial(getattr(lab_site, name), 1))
            facts[f"{name}_stock"] = Item.objects.get(pk=1).stock
    observe(**facts)


def two_http_buys(database_options=()) -> None:
    """Seed item 1, send two /buy/ requests together to gunicorn with 4 threads on PostgreSQL,
    then ask for the stock once both have answered; report the bodies. The code's `buy` view is
    served beside a seed and a stock view of this function's own."""
    views = """

def seed(request):
    Item.objects.create(pk=1, stock=10)
    return HttpResponse("seeded")


def stock(request):
    return HttpResponse(str(Item.objects.get(pk=1).stock))


urlpatterns = [path("seed/", seed), path("buy/", buy), path("stock/", stock)]
"""
    site = Site(
        code() + views, models=ITEM, database="postgresql", database_options=database_options
    )
    # Both purchases go out together, 0.5 s after the seed; the stock is asked for at 4 s.
    requests = ["/seed/", ("/buy/", 0.5), ("/buy/", 0.5), ("/stock/", 4.0)]
    result = run(site, Server("gunicorn", threads=4), requests)
    observe(bodies=[r.body for r in result.requests])


def pay_twice() -> None:
    """Two requests call `pay("7f3a")` at once (a retry that arrives while the first attempt
    runs), each request's first INSERT held as `two_at_once` holds a first write. Report what
    the calls returned (sorted), the purchases stored and the stock."""
    _site(ITEM + PURCHASE, "postgresql")
    from lab_app.models import Item, Purchase
    from lab_site import pay

    Item.objects.create(pk=1, stock=10)
    outcomes = two_at_once(lambda: pay("7f3a"))
    stock = Item.objects.get(pk=1).stock
    observe(outcomes=outcomes, purchases=Purchase.objects.count(), stock=stock)


def claim_twice() -> None:
    """Two requests call `claim()` at once, each one's first INSERT held as `two_at_once` holds
    a first write, so both look before either creates. Report what the calls returned (sorted)
    and the rows in each table."""
    _site("from django.db import models\n" + COUPON + VISIT, "postgresql")
    from lab_app.models import Coupon, Visit
    from lab_site import claim

    outcomes = two_at_once(claim)
    observe(outcomes=outcomes, coupons=Coupon.objects.count(), visits=Visit.objects.count())


def move_both_ways() -> None:
    """Two threads call `move_stock(1, 2)` and `move_stock(2, 1)` at once; items 1 and 2 start
    with 10 each. Each call's second SELECT is held until the other call has reached its own, or
    waits on a lock the first has, so both first locks are taken before either second one
    whenever the locks allow it. Report the outcomes (an error with its driver's cause) and the
    stocks after, each sorted: which call PostgreSQL cancels varies."""
    _site(ITEM, "postgresql")
    from lab_app.models import Item
    from lab_site import move_stock

    Item.objects.bulk_create([Item(pk=1, stock=10), Item(pk=2, stock=10)])
    outcomes = two_at_once(
        lambda: move_stock(1, 2),
        lambda: move_stock(2, 1),
        hold=(("SELECT",), 2),
        name=lambda exc: f"{type(exc).__name__} ({type(exc.__cause__).__name__})",
    )
    observe(outcomes=outcomes, stocks=sorted(Item.objects.values_list("stock", flat=True)))


def _until_done_or_waiting(done: threading.Event) -> None:
    """Wait until `done` is set or another connection to this database waits on a lock (only
    the proof's two threads are connected): whatever the other thread does next cannot depend
    on how long this one would have waited."""
    from django.db import connections

    watcher = connections.create_connection("default")
    try:
        for _ in range(STUCK_SECONDS * 100):
            if done.wait(0.01):
                return
            with watcher.cursor() as cursor:
                cursor.execute(
                    "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname ="
                    " current_database() AND wait_event_type = 'Lock')"
                )
                if cursor.fetchone()[0]:
                    return
    finally:
        watcher.close()
    raise RuntimeError(f"the other thread neither ended nor waited on a lock in {STUCK_SECONDS} s")


def buy_while_locked() -> None:
    """The holder locks item 1 and keeps it until the buyer has tried or waits on the lock; the
    buyer calls `buy(1)` meanwhile, in its own thread and connection. Report what the buyer got
    and the stock after."""
    _site(ITEM, "postgresql")
    from django.db import connection, transaction
    from lab_app.models import Item
    from lab_site import buy

    locked, tried = threading.Event(), threading.Event()
    outcome = []

    def holder():
        with transaction.atomic():
            Item.objects.select_for_update().get(pk=1)
            locked.set()
            _until_done_or_waiting(tried)
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
    _both(holder, buyer)
    observe(buyer=outcome[0], stock=Item.objects.get(pk=1).stock)


def take_two_jobs() -> None:
    """Two workers call `take_job()` at once, in threads with their own connections. The first
    to take a job keeps its transaction open until the second has taken one, or waits on a
    lock: report which jobs the two got."""
    _site(JOB, "postgresql")
    from django.db import connection
    from lab_app.models import Job
    from lab_site import take_job

    first_took, second_took = threading.Event(), threading.Event()
    taken = []

    def worker(first):
        if not first:
            first_took.wait()

        def keep_open(job):
            taken.append(job.name if job else "None")
            (first_took if first else second_took).set()
            if first:
                _until_done_or_waiting(second_took)

        try:
            take_job(keep_open)
        except Exception as exc:  # what the worker got is the observation
            taken.append(type(exc).__name__)
            second_took.set()
        finally:
            connection.close()

    Job.objects.bulk_create([Job(name="job-1"), Job(name="job-2")])
    _both(lambda: worker(True), lambda: worker(False))
    observe(taken=taken)


def _both(first, second) -> None:
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def lock_nullable_join() -> None:
    """Evaluate each function's queryset inside transaction.atomic() on PostgreSQL, with one
    order in the table; report how many rows it returned, or the class of what it raised."""
    _site(ITEM + ORDER, "postgresql")
    import lab_site
    from django.db import transaction
    from lab_app.models import Item, Order

    Order.objects.create(item=Item.objects.create(stock=10))
    facts = {}
    for name in ("plain", "of_self", "no_join"):
        try:
            with transaction.atomic():
                facts[name] = len(list(getattr(lab_site, name)()))
        except Exception as exc:  # what the queryset raised is the observation
            facts[name] = type(exc).__name__
    observe(**facts)
