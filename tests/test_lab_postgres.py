"""The engine's PostgreSQL knob: a throwaway cluster inside the sandbox, a new database for
each run, stated in a question's setup like any other knob."""

import json

import pytest

from codedrill import sandbox
from codedrill.content.setups import read_setup
from codedrill.content.yamlfile import YamlFile
from codedrill.lab import engine
from codedrill.lab.engine import ExperimentError, Site

pytestmark = pytest.mark.content

# Two requests read the stock, wait, and write it back less one: with a plain read they both
# write 9 (one sale lost); with select_for_update the second waits for the first and writes 8.
# The seed creates the row with a fixed key, so a run that saw the last run's rows would fail.
PROOF = '''
import os

from codedrill.content.proofs import observe
from codedrill.sandbox import POSTGRES_TEMPLATE_ENV
from codedrill.lab.engine import Server, Site, run

MODELS = """
from django.db import models


class Item(models.Model):
    stock = models.IntegerField()
"""
VIEWS = """
import time

from django.db import transaction
from django.http import HttpResponse
from django.urls import path
from lab_app.models import Item


def seed(request):
    Item.objects.create(pk=1, stock=10)
    return HttpResponse("seeded")


def sell(item):
    time.sleep(0.3)
    item.stock -= 1
    item.save()
    return HttpResponse("sold")


def plain(request):
    return sell(Item.objects.get(pk=1))


def locked(request):
    with transaction.atomic():
        return sell(Item.objects.select_for_update().get(pk=1))


def stock(request):
    return HttpResponse(str(Item.objects.get(pk=1).stock))


urlpatterns = [path("seed/", seed), path("plain/", plain), path("locked/", locked),
               path("stock/", stock)]
"""
site = Site(VIEWS, models=MODELS, database="postgresql")
facts = {}
for view in ("plain", "locked"):
    requests = ["/seed/", (f"/{view}/", 0.5), (f"/{view}/", 0.5), ("/stock/", 2.0)]
    result = run(site, Server("gunicorn", threads=4), requests)
    facts[view] = [r.body for r in result.requests]
observe(**facts, template=os.environ.get(POSTGRES_TEMPLATE_ENV))
'''


def test_a_postgresql_site_gets_a_new_database_each_run_and_real_row_locks(full_sandbox):
    outcome = sandbox.run_python({"proof.py": PROOF}, "proof.py", {}, 120)
    assert outcome.status == "ok", outcome.output
    facts = json.loads(outcome.observation)
    assert facts["plain"] == ["seeded", "sold", "sold", "9"]  # an update lost
    assert facts["locked"] == ["seeded", "sold", "sold", "8"]
    assert [knobs["database"] for knobs in facts["_servers"]] == ["postgresql"] * 2
    # The cluster was copied from the machine's template, which no run can change.
    template = sandbox._postgres_template()
    assert facts["template"] == str(template)
    assert (template / "PG_VERSION").stat().st_uid == 0
    assert all(not path.stat().st_mode & 0o022 for path in [template, *template.rglob("*")])


def test_postgresql_refuses_root_with_a_message_that_says_what_to_do(monkeypatch):
    monkeypatch.setattr(engine.os, "geteuid", lambda: 0)
    with pytest.raises(ExperimentError, match="will not run as root: run this through the sandbox"):
        engine.postgres_database()


def test_an_unknown_database_is_refused():
    with pytest.raises(ExperimentError, match="database must be one of"):
        Site("urlpatterns = []", database="mysql")


def test_a_setup_can_state_postgresql_and_reads_as_prose(tmp_path):
    path = tmp_path / "question.yaml"
    path.write_text("setup: {server: uvicorn, database: postgresql}\n", encoding="utf-8")
    errors = []
    file = YamlFile(path, errors)
    setup = read_setup(file, file.data["setup"], "setup")
    assert errors == []
    assert setup.prose().endswith("A PostgreSQL database.")
    assert {run["database"] for run in setup.runs} == {"postgresql"}


TEMPLATE_PROOF = '''
from codedrill.content.proofs import observe
from codedrill.lab import engine
from codedrill.lab.engine import Server, Site, run

started, real = [], engine.subprocess.run
engine.subprocess.run = lambda argv, **kw: started.append(argv[-1]) or real(argv, **kw)
COUNTS = """
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.urls import path


def counts(request):
    return HttpResponse(f"{ContentType.objects.count()} {Permission.objects.count()}")


urlpatterns = [path("counts/", counts)]
"""
plain = run(Site(COUNTS, database="postgresql"), Server("uvicorn"), ["/counts/"])
migrated_plain = [s for s in started if "migrate" in s]
models = "from django.db import models\\n\\nclass Shelf(models.Model):\\n    pass\\n"
own = run(Site(COUNTS, models=models, database="postgresql"), Server("uvicorn"), ["/counts/"])
observe(
    plain=plain.requests[0].body,
    plain_migrated=len(migrated_plain),
    own=own.requests[0].body,
    own_migrated=len([s for s in started if "migrate" in s]) - len(migrated_plain),
)
'''


def test_a_postgresql_database_starts_from_the_templates_migrated_default_apps(full_sandbox):
    outcome = sandbox.run_python({"proof.py": TEMPLATE_PROOF}, "proof.py", {}, 120)
    assert outcome.status == "ok", outcome.output
    facts = json.loads(outcome.observation)
    # Without models of its own, the copy is all migrate would make: it does not run.
    assert (facts["plain"], facts["plain_migrated"]) == ("5 20", 0)
    # The site's own models still go through migrate (on top of the template's tables).
    assert (facts["own"], facts["own_migrated"]) == ("6 24", 1)
