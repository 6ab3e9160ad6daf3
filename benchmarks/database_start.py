"""What a proof pays for its database, measured in one run inside the sandbox: the same tiny
site with models, migrated and asked one question, on an SQLite file and in a throwaway
PostgreSQL cluster (the cluster's initdb and start-up paid once per proof, then one database
per run). Alternates the two so both see the same load.

Usage: .venv/bin/python benchmarks/database_start.py [ROUNDS]   (default 5)
Prints medians in seconds, and the PostgreSQL proof's cost as a ratio of the SQLite one's.
"""

import json
import statistics
import sys

from codedrill import sandbox

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
PROOF = '''
import json, time
from codedrill.lab import engine
from codedrill.lab.engine import Site, configure

began = time.perf_counter()
site = Site("urlpatterns = []", models="""
from django.db import models
class Item(models.Model):
    stock = models.IntegerField()
""", database=DATABASE)
if DATABASE == "postgresql":
    engine.postgres_database()  # the cluster, as a proof's first run makes it
cluster = time.perf_counter() - began
configure(site)  # a new database, migrated
from lab_app.models import Item
Item.objects.create(stock=1)
assert Item.objects.count() == 1
print(json.dumps({"cluster": cluster, "total": time.perf_counter() - began}))
'''
seen = {"sqlite": [], "postgresql": []}
for _ in range(rounds):
    for database in seen:
        source = f"DATABASE = {database!r}\n" + PROOF
        outcome = sandbox.run_python({"bench.py": source}, "bench.py", {}, 120)
        assert outcome.status == "no-observation", outcome.output
        facts = json.loads(outcome.output.strip().splitlines()[-1])
        seen[database].append(facts | {"sandboxed": outcome.seconds})
for database, runs in seen.items():
    medians = {k: round(statistics.median(r[k] for r in runs), 2) for k in runs[0]}
    print(database, medians)
ratio = statistics.median(r["sandboxed"] for r in seen["postgresql"]) / statistics.median(
    r["sandboxed"] for r in seen["sqlite"]
)
print(f"a PostgreSQL proof costs {ratio:.1f} times an SQLite one, sandbox included")
