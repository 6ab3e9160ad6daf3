"""The Lab's jobs, through Django's tasks API (the django-tasks backport, database backend)."""

from django_tasks import task

from codedrill.lab import runs


@task()
def perform_run(run_id: int) -> None:
    runs.perform(run_id)
