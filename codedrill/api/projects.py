"""Project mode in JSON: the project with the learner's draft, saving the draft, submitting
(202 while it waits, 200 when an identical submission's results are reused), and reading a
submission back. The rules are codedrill.projects.rules, as on the pages."""

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from codedrill.api.core import api, write
from codedrill.api.lab import Problem
from codedrill.content.models import Pattern
from codedrill.projects import rules
from codedrill.projects.models import ProjectSubmission

router = Router(tags=["project"])


class FilesIn(Schema):
    files: dict[str, str] = Field(description="{file name: text}; files not sent are unchanged")


class SubmissionIn(FilesIn):
    visible_only: bool = Field(False, description="Run only the visible tests")


class RevealIn(Schema):
    confirm: bool = Field(description="true: show the solution before every step has passed")


def _refused(request, refused: rules.Refused):
    response = api.create_response(request, {"detail": refused.message}, status=refused.status)
    if refused.retry_after:
        response["Retry-After"] = str(refused.retry_after)
    return response


def submission_json(submission: ProjectSubmission) -> dict:
    """Status, each step's verdict with its tests' results, and the captured output. A hidden
    test shows its name and message only."""
    tests = [{k: t[k] for k in ("name", "hidden", "passed", "message", "output", "seconds")}
             for t in submission.tests]  # fmt: skip
    return {"id": submission.pk, "status": submission.status,
            "queue_position": rules.queue_position(submission),
            "visible_only": submission.visible_only, "reused": submission.reused,
            "steps": rules.steps(submission.project, tests), "reason": submission.reason or None,
            "seconds": submission.seconds, "files": submission.files}  # fmt: skip


@router.get("/patterns/{slug}/project")
def get_project(request: HttpRequest, slug: str):
    """The project: goal, steps (with their tests and whether you passed them), the starter,
    your draft, the visible tests' source, the hidden tests' names, the limits each run gets,
    and the reference solution once you may see it (null until then)."""
    project = rules.get_project(Pattern.objects.get_live(slug))
    passed = rules.passed_steps(request.user, project)
    steps = [{"slug": s["slug"], "title": s["title"], "hint": s["hint"], "tests": s["tests"],
              "hidden_tests": s["hidden_tests"], "passed": s["slug"] in passed}
             for s in project.steps]  # fmt: skip
    solution = project.solution if rules.may_see_solution(request.user, project) else None
    return {"id": str(project.uuid), "title": project.title, "goal": project.goal,
            "steps": steps, "starter": project.starter,
            "draft": rules.draft_files(request.user, project),
            "visible_tests": project.visible_tests, "limits": project.limits,
            "network": False, "solution": solution}  # fmt: skip


@router.put("/patterns/{slug}/project/draft", auth=write, response={200: dict, 400: Problem})
def put_draft(request: HttpRequest, slug: str, body: FilesIn):
    """Save files of your draft (the others stay as they were): the whole draft back."""
    project = rules.get_project(Pattern.objects.get_live(slug))
    try:
        return {"draft": rules.save_draft(request.auth, project, body.files)}
    except rules.Refused as refused:
        return _refused(request, refused)


@router.post(
    "/patterns/{slug}/project/submissions",
    auth=write,
    response={200: dict, 202: dict, 400: Problem, 429: Problem, 503: Problem},
)
def submit(request: HttpRequest, slug: str, body: SubmissionIn):
    """Run the tests on your files (your draft for any file not sent): 202 with `id` while it
    waits, 200 with the results of an identical submission; 429 or 503 with Retry-After when
    refused. Poll GET /project-submissions/{id}."""
    project = rules.get_project(Pattern.objects.get_live(slug))
    try:
        submission = rules.submit(request.auth, project, body.files, body.visible_only)
    except rules.Refused as refused:
        return _refused(request, refused)
    return (200 if submission.finished_running else 202), submission_json(submission)


@router.post("/patterns/{slug}/project/solution", auth=write, response={200: dict, 400: Problem})
def reveal_solution(request: HttpRequest, slug: str, body: RevealIn):
    """The reference solution's files; before every step has passed, only with confirm: true."""
    project = rules.get_project(Pattern.objects.get_live(slug))
    if rules.may_see_solution(request.auth, project):
        return {"solution": project.solution}
    try:
        return {"solution": rules.reveal_solution(request.auth, project, body.confirm)}
    except rules.Refused as refused:
        return _refused(request, refused)


@router.get("/project-submissions/{submission_id}")
def get_submission(request: HttpRequest, submission_id: int):
    """A submission: `status` (queued, running, done, failed), each step's verdict with its
    tests (name, passed, message, captured output) and, when it could not run, `reason`."""
    rules.recover_stalled()  # as the lab does: a dead worker's submission gets its retry
    queryset = ProjectSubmission.objects.select_related("project")
    submission = queryset.filter(pk=submission_id, learner_id=request.user.pk).first()
    if submission is None:  # another learner's submission does not exist for them
        raise Http404
    return submission_json(submission)


api.add_router("/", router)
