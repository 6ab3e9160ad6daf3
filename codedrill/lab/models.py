"""Lab runs a learner asked for, and the measurements they read.

A measurement (`LabResult`) is memoized by (experiment version, server, endpoint, parameters):
most learners read a stored one at once. A `LabRun` is one learner's request, with their
prediction; a live run waits in the queue until a worker measures it.
"""

import hashlib
import json

from django.conf import settings
from django.db import models

from codedrill.content.models import Experiment
from codedrill.lab import jobs


def experiment_version(experiment: Experiment) -> str:
    """What a measurement depends on: the site and every definition a run reads."""
    # `database` as the boolean it was until PostgreSQL came: stored measurements keep their keys.
    database = {"": False, "sqlite": True}.get(experiment.database, experiment.database)
    shape = [experiment.site, experiment.endpoints, experiment.servers, experiment.parameters,
             experiment.middleware, database, experiment.probe]  # fmt: skip
    if experiment.site_models:  # left out otherwise: stored measurements keep their keys
        shape.append(experiment.site_models)
    if experiment.tally:
        shape.append(experiment.tally)
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]


def memo_key(experiment: Experiment, server: str, endpoint: str, parameters: dict) -> str:
    shape = [str(experiment.uuid), experiment_version(experiment), server, endpoint, parameters]
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()


class LabResult(models.Model):
    """One measured run: the timeline of its requests and everything that shaped it."""

    key = models.CharField(max_length=64, db_index=True, help_text="memo_key() of the run.")
    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="results")
    server = models.CharField(max_length=20)
    endpoint = models.CharField(max_length=200)
    parameters = models.JSONField()
    requests = models.JSONField(help_text="[{path, start, end, status, error, probe}]")
    wall = models.FloatField()
    probe = models.FloatField(null=True)
    tally = models.IntegerField(null=True, help_text="What the tally request answered.")
    cpu = models.JSONField(help_text="CPU seconds per server process during the requests.")
    knobs = models.JSONField()
    reading = models.TextField()
    machine = models.JSONField(help_text="cores, other load during the run, runs beside it")
    under_load = models.BooleanField(default=False)
    measured_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-measured_at"]

    def __str__(self) -> str:
        return f"{self.experiment.slug} {self.server} {self.endpoint} {self.parameters}"

    @property
    def queries(self) -> str:
        """The database queries each request of the batch ran: one number, or the range when
        they differ; "" when the run did not count them."""
        counts = sorted({r["queries"] for r in self.requests
                         if not r["probe"] and r.get("queries") is not None})  # fmt: skip
        if not counts:
            return ""
        return str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"


class Job(models.Model):
    """What a job of the queue (lab.jobs) keeps, whatever it runs: a lab run, a submission."""

    QUEUED, RUNNING, DONE, FAILED = jobs.QUEUED, jobs.RUNNING, jobs.DONE, jobs.FAILED
    STATUSES = [(s, s) for s in (QUEUED, RUNNING, DONE, FAILED)]

    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    namespace = models.BigIntegerField(null=True, blank=True, help_text="Its PID namespace.")
    heartbeat = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created"]

    @property
    def finished_running(self) -> bool:
        return self.status in (self.DONE, self.FAILED)


class LabRun(Job):
    """A learner's run of an experiment: their parameters and prediction, then its result."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_runs"
    )
    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="runs")
    server = models.CharField(max_length=20)
    endpoint = models.CharField(max_length=200)
    parameters = models.JSONField(help_text="Every parameter's value, defaults included.")
    prediction = models.JSONField(help_text="{wall: seconds, probe: seconds or absent}")
    live = models.BooleanField(default=False, help_text="Measured for this run, not memoized.")
    result = models.ForeignKey(LabResult, null=True, blank=True, on_delete=models.SET_NULL)
    reason = models.TextField(blank=True, help_text="Why it failed, for the learner.")
    progress = models.CharField(max_length=20, blank=True, help_text="requests answered: k/n")

    class Meta(Job.Meta):
        pass

    def __str__(self) -> str:
        return f"run {self.pk}: {self.experiment.slug} for {self.learner} ({self.status})"
