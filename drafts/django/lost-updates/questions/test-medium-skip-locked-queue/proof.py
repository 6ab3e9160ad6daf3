"""Two workers call `take_job()` at once, in threads with their own connections. The first to
take a job keeps its transaction open until the second has taken one (or 5 s): report which
jobs the two got."""

import threading

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, configure

MODELS = """
from django.db import models


class Job(models.Model):
    name = models.CharField(max_length=20)
"""
configure(Site(code() + "\nurlpatterns = []\n", models=MODELS, database="postgresql"))

from django.db import connection  # noqa: E402
from lab_app.models import Job  # noqa: E402
from lab_site import take_job  # noqa: E402

first_took, second_took = threading.Event(), threading.Event()
taken = []


def worker(first):
    if not first:
        first_took.wait()

    def keep_open(job):
        taken.append(job.name if job else "None")
        (first_took if first else second_took).set()
        if first:
            second_took.wait(timeout=5)

    try:
        take_job(keep_open)
    except Exception as exc:  # what the worker got is the observation
        taken.append(type(exc).__name__)
        second_took.set()
    finally:
        connection.close()


Job.objects.bulk_create([Job(name="job-1"), Job(name="job-2")])
threads = [threading.Thread(target=worker, args=(first,)) for first in (True, False)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
observe(taken=taken)
