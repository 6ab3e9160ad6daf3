"""Project mode's rules, in one place for the pages, the API and the workers: which files a
learner may send, the draft, when a submission runs, is reused or is refused, how a worker
runs one in the sandbox, what each step's verdict is, progress, and the reference solution."""

import json
import sys
import time

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from codedrill import sandbox
from codedrill.attempts.rules import award_badge
from codedrill.content.models import Pattern, Project
from codedrill.content.projects import FILE_BYTES
from codedrill.lab import jobs
from codedrill.lab.jobs import Refused
from codedrill.progress.models import ModeProgress
from codedrill.projects import harness
from codedrill.projects.models import ProjectDraft, ProjectSubmission, submission_key

# How a run that did not finish reads to the learner, by the sandbox's name for the ending.
ENDINGS = {
    "timeout": "Your code ran past the {wall_seconds} s limit.",
    "cpu-limit": "Your code used more CPU time than the {wall_seconds} s run allows.",
    "memory-limit": "Your code used more than {memory_mb} MB of memory.",
    "output-flood": "Your code printed more than {output_kb} KB.",
    "too-many-processes": "Your code started too many processes.",
    "file-too-large": "Your code wrote a file that is too large.",
    "disk-full": "Your code filled its disk.",
}


def get_project(pattern: Pattern) -> Project:
    project = pattern.projects.filter(is_active=True).first()
    if project is None:
        raise Http404("This pattern has no project yet.")
    return project


def clean_files(project: Project, files) -> dict[str, str]:
    """The learner's files as sent, checked: names of the project's files, text, not too big."""
    if not isinstance(files, dict):
        raise Refused("`files` must map file names to their text.")
    for name, text in files.items():
        if name not in project.starter:
            names = ", ".join(sorted(project.starter))
            raise Refused(f"This project has no file {name!r}; its files are {names}.")
        if not isinstance(text, str):
            raise Refused(f"{name} must be text.")
        if "\x00" in text:
            raise Refused(f"{name} holds a NUL character, which no Python file may hold.")
        if len(text.encode()) > FILE_BYTES:
            raise Refused(f"{name} is over {FILE_BYTES // 1024} KB.")
    return dict(files)


def _draft(learner, project: Project, lock: bool = False) -> ProjectDraft:
    draft, _created = ProjectDraft.objects.get_or_create(learner=learner, project=project)
    if lock:  # a learner's writes to one project queue here, one after another
        draft = ProjectDraft.objects.select_for_update().get(pk=draft.pk)
    return draft


def draft_files(learner, project: Project) -> dict[str, str]:
    """The learner's files: their draft over the starter (a guest or a new learner: the starter)."""
    files = dict(project.starter)
    if learner.is_authenticated:
        draft = ProjectDraft.objects.filter(learner=learner, project=project).first()
        if draft:
            files |= {n: t for n, t in draft.files.items() if n in project.starter}
    return files


@transaction.atomic
def save_draft(learner, project: Project, files) -> dict[str, str]:
    cleaned = clean_files(project, files)
    draft = _draft(learner, project, lock=True)
    draft.files = {**draft.files, **cleaned}
    draft.save(update_fields=["files", "updated"])
    return draft_files(learner, project)


@transaction.atomic
def reset_file(learner, project: Project, name: str) -> dict[str, str]:
    """Put one file back as the starter has it."""
    if name not in project.starter:
        raise Refused(f"This project has no file {name!r}.")
    draft = _draft(learner, project, lock=True)
    draft.files = {n: t for n, t in draft.files.items() if n != name}
    draft.save(update_fields=["files", "updated"])
    return draft_files(learner, project)


def submit(learner, project: Project, files, visible_only: bool) -> ProjectSubmission:
    """Run the tests on the learner's files (their draft for any file not sent, which becomes
    the draft). An identical submission already judged is answered from its results at once;
    one already waiting is returned as it is. Raises Refused."""
    cleaned = clean_files(project, files)
    with transaction.atomic():
        draft = _draft(learner, project, lock=True)
        draft.files = {**draft.files, **cleaned}
        draft.save(update_fields=["files", "updated"])
        full = draft_files(learner, project)
        key = submission_key(project, full, visible_only)
        fields = {"learner": learner, "project": project, "files": full,
                  "visible_only": visible_only, "key": key}  # fmt: skip
        waiting = ProjectSubmission.objects.filter(
            learner=learner, key=key, status__in=(jobs.QUEUED, jobs.RUNNING)
        ).first()
        if waiting:
            return waiting
        judged = ProjectSubmission.objects.filter(key=key, status=jobs.DONE).first()
        if judged:
            submission = ProjectSubmission.objects.create(
                **fields, status=jobs.DONE, tests=judged.tests, passed_steps=judged.passed_steps,
                reused=True, seconds=judged.seconds, finished=timezone.now(),
            )  # fmt: skip
            record_progress(learner, project)
            return submission
        if reason := sandbox.unavailable_reason():
            raise Refused(f"Submissions are off on this server: {reason}.", status=503)
        _check_rate(learner)
        waiting = ProjectSubmission.objects.filter(status=jobs.QUEUED).count()
        if waiting >= settings.PROJECT_QUEUE_LIMIT:
            raise Refused("The queue is full; try again in a minute.", status=503, retry_after=60)
        submission = ProjectSubmission.objects.create(**fields)
        _enqueue(submission)
    return submission


def _enqueue(submission: ProjectSubmission) -> None:
    from codedrill.projects.tasks import perform_submission

    submission.task_id = str(perform_submission.enqueue(submission.pk).id)
    submission.save(update_fields=["task_id"])


def _check_rate(learner) -> None:
    guest = learner.is_guest
    limit = settings.PROJECT_GUEST_RUNS_PER_HOUR if guest else settings.PROJECT_RUNS_PER_HOUR
    recent = ProjectSubmission.objects.filter(
        learner=learner, reused=False, created__gte=jobs.hour_ago()
    )
    who = "guests" if guest else "each learner"
    refusal = f"Test runs are limited to {limit} an hour for {who}."
    jobs.check_rate(recent, limit, refusal, "run")


def queue_position(submission: ProjectSubmission) -> int | None:
    if submission.status != jobs.QUEUED:
        return None
    ahead = ProjectSubmission.objects.filter(status=jobs.QUEUED, created__lt=submission.created)
    return ahead.count() + 1


def recover_stalled() -> None:
    reason = "The worker stopped during this run, twice. Submit again."
    jobs.recover_stalled(ProjectSubmission, _enqueue, reason)


def perform(submission_id: int) -> None:
    """A worker runs one queued submission's tests in the sandbox and stores the results."""
    if not jobs.claim(ProjectSubmission, submission_id):
        return
    submission = ProjectSubmission.objects.select_related("project").get(pk=submission_id)
    project = submission.project
    files = harness.sandbox_input(project, submission.files, submission.visible_only)
    heard: dict = {}

    def work() -> sandbox.Outcome:
        argv = [sys.executable, "runner.py"]
        budget = harness.sandbox_limits(project)
        return sandbox.run(files, argv, limits=budget, on_start=started_in)

    def started_in(namespace: int) -> None:
        heard["namespace"] = namespace

    started = time.monotonic()
    try:
        outcome = jobs.while_beating(ProjectSubmission, submission_id, work, lambda: heard)
    except sandbox.SandboxUnavailable as exc:
        return _fail(submission_id, f"Submissions are off on this server: {exc}.")
    seconds = round(time.monotonic() - started, 2)
    if outcome.status != "ok":
        ending = ENDINGS.get(outcome.status, "The run ended before the tests could report.")
        return _fail(submission_id, f"{ending.format(**project.limits)} {outcome.output[-300:]}")
    tests = json.loads(outcome.observation)["tests"]
    passed = [s["slug"] for s in steps(project, tests) if s["status"] == "passed"]
    with transaction.atomic():
        ProjectSubmission.objects.filter(pk=submission_id).update(
            status=jobs.DONE, tests=tests, passed_steps=passed, seconds=seconds,
            finished=timezone.now(),
        )  # fmt: skip
        record_progress(submission.learner, project)


def _fail(submission_id: int, reason: str) -> None:
    ProjectSubmission.objects.filter(pk=submission_id).update(
        status=jobs.FAILED, reason=reason[:2000], finished=timezone.now()
    )


def steps(project: Project, tests: list[dict]) -> list[dict]:
    """Each step with its verdict: "passed" when every one of its tests ran and passed,
    "failed" when one failed, "not run" when none ran; its tests' results; and its explanation
    once it passed. A hidden test shows its name and message, never its source."""
    by_name = {test["name"]: test for test in tests}
    found = []
    for step in project.steps:
        results = [by_name[name] for name in step["tests"] if name in by_name]
        if any(not test["passed"] for test in results):
            status = "failed"
        elif len(results) == len(step["tests"]):
            status = "passed"
        else:
            status = "passed so far" if results else "not run"
        explanation = step["explanation"] if status == "passed" else None
        found.append({"slug": step["slug"], "title": step["title"], "status": status,
                      "tests": results, "hint": step["hint"],
                      "explanation": explanation})  # fmt: skip
    return found


def passed_steps(learner, project: Project) -> set[str]:
    """Steps a full submission of the learner's passed, ever."""
    if not learner.is_authenticated:
        return set()
    done = ProjectSubmission.objects.filter(
        learner=learner, project=project, status=jobs.DONE, visible_only=False
    )
    return {slug for slugs in done.values_list("passed_steps", flat=True) for slug in slugs}


def record_progress(learner, project: Project) -> None:
    """Steps passed, to "My learning"; all of them may complete the pattern's badge."""
    passed = len(passed_steps(learner, project) & {step["slug"] for step in project.steps})
    ModeProgress.record_steps(learner, project.pattern_id, "project", passed, len(project.steps))
    if passed == len(project.steps):
        award_badge(learner.pk, project.pattern_id, timezone.now())


def may_see_solution(learner, project: Project) -> bool:
    """After every step passed, or after asking for it and confirming."""
    if not learner.is_authenticated:
        return False
    if passed_steps(learner, project) >= {step["slug"] for step in project.steps}:
        return True
    return ProjectDraft.objects.filter(
        learner=learner, project=project, solution_revealed__isnull=False
    ).exists()


@transaction.atomic
def reveal_solution(learner, project: Project, confirmed: bool) -> dict[str, str]:
    if not confirmed:
        raise Refused("Confirm that you want to see the solution before the steps pass.")
    draft = _draft(learner, project, lock=True)
    if draft.solution_revealed is None:
        draft.solution_revealed = timezone.now()
        draft.save(update_fields=["solution_revealed", "updated"])
    return project.solution
