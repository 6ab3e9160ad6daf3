from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from codedrill.accounts.learners import get_learner
from codedrill.content.models import Pattern
from codedrill.content.modes import BY_SLUG
from codedrill.projects import rules
from codedrill.projects.models import ProjectSubmission


def _own_submission(request: HttpRequest, submission_id: int) -> ProjectSubmission:
    """A learner's submission, or 404: another learner's do not exist for them."""
    if not request.user.is_authenticated:
        raise Http404("No such submission.")
    queryset = ProjectSubmission.objects.select_related("project__pattern")
    submission = get_object_or_404(queryset, pk=submission_id, learner=request.user)
    if submission.status == ProjectSubmission.RUNNING:
        rules.recover_stalled()
        submission.refresh_from_db()
    return submission


@require_http_methods(["GET", "HEAD", "POST"])
def project_page(request: HttpRequest, slug: str) -> HttpResponse:
    pattern = Pattern.objects.get_live(slug)
    project = rules.get_project(pattern)
    error, status, retry_after = "", 200, None
    files = None
    if request.method == "POST":
        sent = {name: request.POST[name] for name in project.starter if name in request.POST}
        action = request.POST.get("action", "save")
        learner = get_learner(request)
        try:
            if action in ("run", "submit"):
                submission = rules.submit(learner, project, sent, visible_only=action == "run")
                return redirect("project-submission", submission_id=submission.pk)
            if action.startswith("reset:"):
                rules.reset_file(learner, project, action.removeprefix("reset:"))
            elif action == "reveal":
                rules.reveal_solution(learner, project, "confirm" in request.POST)
            else:
                rules.save_draft(learner, project, sent)
            return redirect("project", slug=slug)
        except rules.Refused as refused:
            error, status, retry_after = refused.message, refused.status, refused.retry_after
            files = {**rules.draft_files(request.user, project), **sent}
    latest = None
    if request.user.is_authenticated:
        latest = ProjectSubmission.objects.filter(learner=request.user, project=project).first()
    context = {
        "pattern": pattern, "project": project, "mode": BY_SLUG["project"], "error": error,
        "files": files or rules.draft_files(request.user, project),
        "passed": rules.passed_steps(request.user, project),
        "latest": latest, "minutes": pattern.minutes.get("project", 0),
        "solution": project.solution if rules.may_see_solution(request.user, project) else None,
    }  # fmt: skip
    response = render(request, "projects/project.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _submission_context(submission: ProjectSubmission) -> dict:
    return {"submission": submission, "position": rules.queue_position(submission),
            "steps": rules.steps(submission.project, submission.tests)}  # fmt: skip


@require_safe
def submission_page(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _own_submission(request, submission_id)
    context = {**_submission_context(submission), "project": submission.project,
               "pattern": submission.project.pattern}  # fmt: skip
    return render(request, "projects/submission.html", context)


@require_safe
def submission_part(request: HttpRequest, submission_id: int) -> HttpResponse:
    """The live part alone: lab.js swaps it in while the submission waits or runs."""
    submission = _own_submission(request, submission_id)
    return render(request, "projects/submission_part.html", _submission_context(submission))
