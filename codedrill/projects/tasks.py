"""Project submissions, as jobs of the lab's queue (the labworker performs them too)."""

from django_tasks import task

from codedrill.projects import rules


@task()
def perform_submission(submission_id: int) -> None:
    rules.perform(submission_id)
