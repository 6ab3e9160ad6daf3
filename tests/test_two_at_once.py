"""`two_at_once`, the race the lost-updates proofs rest on: each thread's first write waits for
the other's, or for the other to wait on its lock, and never for a clock. Each proof here
shortens the bound for a race gone wrong to half a second, so a lock wait the helper failed to
see ends the proof with an error instead of passing late."""

import json

import pytest

from codedrill import sandbox

pytestmark = pytest.mark.content

PROOF = '''
from codedrill.content import proofs
from codedrill.content.proofs import observe, two_at_once
from codedrill.lab import engine
from codedrill.lab.engine import Site, configure

proofs._STUCK_SECONDS = 0.5
MODELS = """
from django.db import models


class Item(models.Model):
    stock = models.IntegerField()
"""
BUYS = """
from django.db import transaction
from lab_app.models import Item


def buy_plain(pk):
    with transaction.atomic():
        item = Item.objects.get(pk=pk)
        item.stock -= 1
        item.save()
    return "sold"


def buy_locked(pk):
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=pk)
        item.stock -= 1
        item.save()
    return "sold"


urlpatterns = []
"""
configure(Site(BUYS, models=MODELS, database=DATABASE, database_options=OPTIONS))

import lab_site  # noqa: E402
from lab_app.models import Item  # noqa: E402

facts = {}
for name in ("buy_plain", "buy_locked"):
    Item.objects.update_or_create(pk=1, defaults={"stock": 10})
    facts[name] = two_at_once(lambda buy=getattr(lab_site, name): buy(1))
    facts[name + "_stock"] = Item.objects.get(pk=1).stock
observe(**facts, timed=engine.timed)
'''


def race(database: str, options=()) -> dict:
    head = f"DATABASE = {database!r}\nOPTIONS = {options!r}\n"
    outcome = sandbox.run_python({"proof.py": head + PROOF}, "proof.py", {}, 60)
    assert outcome.status == "ok", outcome.output
    return {k: v for k, v in json.loads(outcome.observation).items() if k != "_servers"}


def test_on_postgresql_a_thread_blocked_on_the_row_lock_lets_the_holder_write(full_sandbox):
    assert race("postgresql") == {
        "buy_plain": ["sold", "sold"], "buy_plain_stock": 9,  # both read 10: a sale lost
        "buy_locked": ["sold", "sold"], "buy_locked_stock": 8,  # the second waited its turn
        "timed": False,  # nothing rests on a clock: one run decides
    }  # fmt: skip


def test_on_sqlite_a_thread_asking_for_the_held_write_lock_lets_the_holder_write(full_sandbox):
    # Deferred transactions: both read, then SQLite refuses the second writer at once.
    assert race("sqlite")["buy_plain"] == ["OperationalError", "sold"]
    # BEGIN IMMEDIATE takes the write lock first: the second buyer waits in it, then sells.
    immediate = race("sqlite", (("OPTIONS", {"transaction_mode": "IMMEDIATE"}),))
    assert immediate["buy_plain"] == ["sold", "sold"] and immediate["buy_plain_stock"] == 8
