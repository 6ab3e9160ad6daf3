"""A learner's work on a pattern's project: the draft they edit, and every submission with its
results. Submissions are jobs of the lab's queue (codedrill.lab.jobs)."""

import hashlib
import json

from django.conf import settings
from django.db import models

from codedrill.content.models import Project
from codedrill.lab.models import Job


def submission_key(project: Project, files: dict[str, str], visible_only: bool) -> str:
    """What a result depends on: the project as published (its tests, site, models, seed and
    database) and the files."""
    shape = [str(project.uuid), project.site, project.models_file, project.seed,
             project.visible_tests, project.hidden_tests, project.limits, files,
             visible_only]  # fmt: skip
    if project.database:  # left out otherwise: stored results keep their keys
        shape.append(project.database)
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()


class ProjectDraft(models.Model):
    """The learner's files as they left them, saved on the server; and whether they asked to
    see the reference solution."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_drafts"
    )
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="drafts")
    files = models.JSONField(default=dict, help_text="{file name: text}")
    solution_revealed = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint("learner", "project", name="one_draft_per_project")]

    def __str__(self) -> str:
        return f"{self.learner}'s draft of {self.project}"


class ProjectSubmission(Job):
    """One run of the project's tests on the learner's files: all of them, or the visible ones."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_submissions"
    )
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="submissions")
    files = models.JSONField(help_text="{file name: text}")
    visible_only = models.BooleanField(default=False)
    key = models.CharField(max_length=64, db_index=True, help_text="submission_key()")
    tests = models.JSONField(
        default=list, help_text="[{file, name, hidden, passed, message, output, seconds}]"
    )
    passed_steps = models.JSONField(default=list, help_text="Slugs of the steps it passed.")
    reused = models.BooleanField(default=False, help_text="Results of an identical submission.")
    reason = models.TextField(blank=True, help_text="Why it failed to run, for the learner.")
    seconds = models.FloatField(null=True, blank=True, help_text="Its time in the sandbox.")

    class Meta(Job.Meta):
        pass

    def __str__(self) -> str:
        return f"submission {self.pk} of {self.project} by {self.learner} ({self.status})"
