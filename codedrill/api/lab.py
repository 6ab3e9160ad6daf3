"""The Lab in JSON: experiments, starting a run (202 while it waits, 200 when read from the
memo), and reading it back. The rules are codedrill.lab.runs, as on the pages."""

import uuid

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from codedrill.api.core import api, write
from codedrill.content.models import Experiment, Pattern
from codedrill.lab import runs
from codedrill.lab.models import LabRun

router = Router(tags=["lab"])


class RunIn(Schema):
    experiment: uuid.UUID = Field(description="The experiment's id, from the pattern's lab list")
    server: str
    endpoint: str
    parameters: dict[str, float] = Field(default_factory=dict)
    prediction: dict[str, float] = Field(
        description="What the experiment's `predict` lists: {wall: seconds}, {probe: seconds}, "
        "{queries: a whole number, the queries one request runs}, {tally: the whole number the "
        "experiment's tally request will answer}"
    )
    live: bool = Field(False, description="Measure now even if a stored measurement exists")


class Problem(Schema):
    detail: str


def experiment_json(e: Experiment) -> dict:
    return {"id": str(e.uuid), "slug": e.slug, "title": e.title, "question": e.question,
            "servers": e.servers, "endpoints": e.endpoints, "parameters": e.parameters,
            "probe": e.probe, "tally": e.tally, "database": e.database_kind,
            "predict": e.predictions}  # fmt: skip


def run_json(run: LabRun) -> dict:
    found = {"id": run.pk, "experiment": str(run.experiment.uuid), "status": run.status,
             "queue_position": runs.queue_position(run), "progress": run.progress or None,
             "server": run.server, "endpoint": run.endpoint, "parameters": run.parameters,
             "prediction": run.prediction, "live": run.live,
             "reason": run.reason or None}  # fmt: skip
    if result := run.result:
        found |= {"requests": result.requests, "wall": result.wall, "probe": result.probe,
                  "tally": result.tally, "cpu": result.cpu, "knobs": result.knobs,
                  "reading": result.reading, "machine": result.machine,
                  "under_load": result.under_load,
                  "measured_at": result.measured_at.isoformat()}  # fmt: skip
    return found


@router.get("/patterns/{slug}/lab")
def experiments(request: HttpRequest, slug: str):
    """A pattern's lab experiments, with the servers, endpoints and bounded parameters a run
    may choose."""
    pattern = Pattern.objects.get_live(slug)
    return [experiment_json(e) for e in pattern.experiments.filter(is_active=True)]


@router.post(
    "/lab/runs",
    auth=write,
    response={200: dict, 202: dict, 400: Problem, 429: Problem, 503: Problem},
)
def start_run(request: HttpRequest, body: RunIn):
    """Predict and run: 200 with the stored measurement, or 202 with `id`, `status` and
    `queue_position` while a live run waits; 429 or 503 with Retry-After when refused."""
    try:
        experiment = Experiment.objects.get(uuid=body.experiment, is_active=True)
    except Experiment.DoesNotExist:
        raise Http404 from None
    choice = {"server": body.server, "endpoint": body.endpoint, "parameters": body.parameters}
    try:
        run = runs.start(request.auth, experiment, choice, body.prediction, body.live)
    except runs.Refused as refused:
        response = api.create_response(request, {"detail": refused.message}, status=refused.status)
        if refused.retry_after:
            response["Retry-After"] = str(refused.retry_after)
        return response
    return (200 if run.finished_running else 202), run_json(run)


@router.get("/lab/runs/{run_id}")
def get_run(request: HttpRequest, run_id: int):
    """A run: `status` (queued, running, done, failed), and once done its `requests` (start,
    end, status, and `queries` where the experiment counts them), `wall`, `tally` (what the
    tally request answered, where the experiment sends one), `cpu`, `knobs`,
    `prediction`, `reading` and `measured_at`."""
    runs.recover_stalled()  # as the run page does: a dead worker's run gets its retry
    queryset = LabRun.objects.select_related("experiment", "result")
    run = queryset.filter(pk=run_id, learner_id=request.user.pk).first()
    if run is None:  # another learner's run does not exist for them
        raise Http404
    return run_json(run)


api.add_router("/", router)
