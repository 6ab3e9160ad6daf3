from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from codedrill.accounts.learners import get_learner
from codedrill.content.models import Experiment, Pattern
from codedrill.content.modes import BY_SLUG
from codedrill.lab import runs, timeline
from codedrill.lab.models import LabRun

MAX_COMPARED = 3


def _experiment(pattern: Pattern, slug: str) -> Experiment:
    try:
        return runs.get_experiment(pattern, slug)
    except Experiment.DoesNotExist:
        raise Http404("No such experiment.") from None


def _own_run(request: HttpRequest, run_id: int) -> LabRun:
    """A learner's run, or 404: another learner's runs do not exist for them. Looking at runs
    is also when a run whose worker died gets its retry (between worker starts)."""
    if not request.user.is_authenticated:
        raise Http404("No such run.")
    queryset = LabRun.objects.select_related("experiment__pattern", "result")
    run = get_object_or_404(queryset, pk=run_id, learner=request.user)
    if run.status == LabRun.RUNNING:
        runs.recover_stalled()
        run.refresh_from_db()
    return run


@require_safe
def lab(request: HttpRequest, slug: str) -> HttpResponse:
    pattern = Pattern.objects.get_live(slug)
    experiments = list(pattern.experiments.filter(is_active=True))
    if not experiments:
        raise Http404("This pattern has no lab yet.")
    mine = {}
    if request.user.is_authenticated:
        for run in LabRun.objects.filter(learner=request.user, experiment__in=experiments):
            mine[run.experiment_id] = mine.get(run.experiment_id, 0) + 1
    cards = [{"experiment": e, "runs": mine.get(e.pk, 0)} for e in experiments]
    context = {"pattern": pattern, "mode": BY_SLUG["lab"], "cards": cards,
               "minutes": pattern.minutes.get("lab", 0)}  # fmt: skip
    return render(request, "lab/lab.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def experiment_page(request: HttpRequest, slug: str, experiment: str) -> HttpResponse:
    pattern = Pattern.objects.get_live(slug)
    found = _experiment(pattern, experiment)
    error, status, retry_after = "", 200, None
    if request.method == "POST":
        choice = {
            "server": request.POST.get("server", ""),
            "endpoint": request.POST.get("endpoint", ""),
            "parameters": {n: request.POST.get(n, "") for n in found.parameters},
        }
        prediction = {n: request.POST.get(f"predict_{n}", "") for n in found.predictions}
        try:
            run = runs.start(
                get_learner(request), found, choice, prediction, live="live" in request.POST
            )
            return redirect("lab-run", run_id=run.pk)
        except runs.Refused as refused:
            error, status, retry_after = refused.message, refused.status, refused.retry_after
    earlier = []
    if request.user.is_authenticated:
        earlier = LabRun.objects.filter(learner=request.user, experiment=found)[:20]
    fields = [
        {**bounds, "name": name, "value": request.POST.get(name, bounds["default"])}
        for name, bounds in found.parameters.items()
    ]
    asks = [
        {**ask, "question": ask["question"][0].upper() + ask["question"][1:],
         "value": request.POST.get(f"predict_{ask['name']}", "")}
        for ask in runs.asks(found)
    ]  # fmt: skip
    context = {"pattern": pattern, "experiment": found, "error": error, "earlier": earlier,
               "posted": request.POST, "fields": fields, "asks": asks,
               "max_compared": MAX_COMPARED}  # fmt: skip
    response = render(request, "lab/experiment.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _run_context(run: LabRun) -> dict:
    context = {"run": run, "position": runs.queue_position(run)}
    if run.result:
        context["drawing"] = timeline.draw(run.result.requests, run.result.wall)
    return context


@require_safe
def run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _own_run(request, run_id)
    context = {**_run_context(run), "pattern": run.experiment.pattern,
               "experiment": run.experiment}  # fmt: skip
    return render(request, "lab/run.html", context)


@require_safe
def run_part(request: HttpRequest, run_id: int) -> HttpResponse:
    """The run page's live part alone: lab.js swaps it in while the run is queued or running."""
    return render(request, "lab/run_part.html", _run_context(_own_run(request, run_id)))


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    ids = request.GET.getlist("runs")[:MAX_COMPARED]
    if not ids or not all(i.isascii() and i.isdigit() and len(i) < 12 for i in ids):
        raise Http404("Choose runs to compare.")
    chosen = [_own_run(request, int(i)) for i in ids]
    done = [run for run in chosen if run.result]
    span = max((run.result.wall for run in done), default=1.0)
    compared = [{"run": run, "drawing": timeline.draw(run.result.requests, span)} for run in done]
    context = {"compared": compared, "pattern": chosen[0].experiment.pattern}
    return render(request, "lab/compare.html", context)
