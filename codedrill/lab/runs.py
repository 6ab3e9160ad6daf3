"""The Lab's rules, in one place for the pages, the API and the workers: who may start a run,
what a run reads from the memo, how a worker measures one in the sandbox, and what happens to a
run whose worker died."""

import dataclasses
import json
import os
import sys
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from codedrill import sandbox
from codedrill.content.models import Experiment, Pattern
from codedrill.lab import jobs
from codedrill.lab.engine import ExperimentError
from codedrill.lab.experiments import choose
from codedrill.lab.models import LabResult, LabRun, memo_key
from codedrill.progress.models import ModeProgress

RUN_LIMITS = sandbox.Limits(wall_seconds=60)  # server start and stop, and up to 30 s of requests
LOADED_CORES = 0.5  # other work on the machine, in cores, above which a result is "under load"
SLOT: int | None = None  # this worker's slot: runs are pinned to core SLOT (see labworker)

RUNNER = """\
import json, os, reading
from codedrill.lab.experiments import measure
from codedrill.sandbox import OBSERVATION_ENV
with open("spec.json") as spec:
    facts = measure(json.load(spec), reading.reading)
with open(os.environ[OBSERVATION_ENV], "w") as out:
    json.dump(facts, out)
"""


Refused = jobs.Refused


def get_experiment(pattern: Pattern, slug: str) -> Experiment:
    return Experiment.objects.get(pattern=pattern, slug=slug, is_active=True)


def _definition(experiment: Experiment) -> dict:
    return {"servers": experiment.servers, "endpoints": experiment.endpoints,
            "parameters": experiment.parameters, "middleware": experiment.middleware,
            "database": experiment.database, "probe": experiment.probe,
            "models": experiment.site_models, "tally": experiment.tally}  # fmt: skip


# What a learner predicts: the question, and the bounds of an answer (the least, the most).
PREDICTION_ASKS = {
    "wall": ("how many seconds will the whole run take?", 0, 120),
    "probe": ("how many seconds will the probe request take?", 0, 120),
    "queries": ("how many database queries will one request run?", 0, 10_000),
    # A count may fall below zero: an oversold stock.
    "tally": ("what will {path} answer once every request has been answered ({label})?",
              -10_000, 10_000),
}  # fmt: skip
WHOLE_NUMBERS = ("queries", "tally")


def asks(experiment: Experiment) -> list[dict]:
    """What the experiment asks a learner to predict: {name, question, least, most} each."""
    found = []
    for name in experiment.predictions:
        question, least, most = PREDICTION_ASKS[name]
        question = question.format_map(experiment.tally or {})
        found.append({"name": name, "question": question, "least": least, "most": most})
    return found


def _prediction(experiment: Experiment, prediction: dict) -> dict:
    """The learner's prediction, as the experiment asks for it: the batch's wall time and the
    probe's wait in seconds, the queries one request runs, or the number the tally answers."""
    found = {}
    for ask in asks(experiment):
        name, least, most = ask["name"], ask["least"], ask["most"]
        try:
            value = float(prediction[name])
        except (KeyError, TypeError, ValueError, OverflowError):
            raise Refused(f"Predict first: {ask['question']}") from None
        if name in WHOLE_NUMBERS:
            if not (value.is_integer() and least <= value <= most):
                what = "queries" if name == "queries" else experiment.tally["path"]
                raise Refused(f"A prediction of {what} is a whole number from {least} to {most}.")
            found[name] = int(value)
        elif not least <= value <= most:
            raise Refused(f"A prediction is a number of seconds from {least} to {most}.")
        else:
            found[name] = round(value, 2)
    return found


def stored_result(experiment: Experiment, server: str, endpoint: str, parameters: dict):
    key = memo_key(experiment, server, endpoint, parameters)
    return LabResult.objects.filter(key=key, experiment=experiment).first()


def start(learner, experiment: Experiment, choice: dict, prediction: dict, live: bool) -> LabRun:
    """A learner's run: done at once from the memo when a measurement is stored and they did not
    ask for a live one; otherwise queued for a worker. Raises Refused."""
    server, endpoint = str(choice.get("server", "")), str(choice.get("endpoint", ""))
    try:
        parameters = choose(
            _definition(experiment), server, endpoint, choice.get("parameters") or {}
        )
    except ExperimentError as exc:
        raise Refused(f"{str(exc)[0].upper()}{str(exc)[1:]}.") from None
    predicted = _prediction(experiment, prediction)
    fields = {"learner": learner, "experiment": experiment, "server": server,
              "endpoint": endpoint, "parameters": parameters, "prediction": predicted}  # fmt: skip
    memo = None if live else stored_result(experiment, server, endpoint, parameters)
    if memo:
        run = LabRun.objects.create(
            **fields, status=LabRun.DONE, result=memo, finished=memo.measured_at
        )
        record_progress(learner, experiment.pattern)
        return run
    if reason := sandbox.unavailable_reason():
        raise Refused(f"Live runs are off on this server: {reason}.", status=503)
    recover_stalled()
    _check_rate(learner)
    with transaction.atomic():
        waiting = LabRun.objects.filter(status=LabRun.QUEUED).count()
        if waiting >= settings.LAB_QUEUE_LIMIT:
            raise Refused(
                "The lab queue is full; stored results can still be read.",
                status=503,
                retry_after=_expected_wait(waiting),
            )
        run = LabRun.objects.create(**fields, live=True)
        _enqueue(run)
    return run


def _enqueue(run: LabRun) -> None:
    from codedrill.lab.tasks import perform_run

    run.task_id = str(perform_run.enqueue(run.pk).id)
    run.save(update_fields=["task_id"])


def _check_rate(learner) -> None:
    limit = settings.LAB_GUEST_RUNS_PER_HOUR if learner.is_guest else settings.LAB_RUNS_PER_HOUR
    recent = LabRun.objects.filter(learner=learner, live=True, created__gte=jobs.hour_ago())
    who = "guests" if learner.is_guest else "each learner"
    refusal = (
        f"Live runs are limited to {limit} an hour for {who}; stored results are always there."
    )
    jobs.check_rate(recent, limit, refusal, "live run")


def _expected_wait(ahead: int) -> int:
    """Seconds until a run queued behind `ahead` others starts, from recent run times."""
    recent = LabRun.objects.filter(live=True, status=LabRun.DONE).exclude(started=None)[:20]
    times = [(r.finished - r.started).total_seconds() for r in recent if r.finished]
    each = sorted(times)[len(times) // 2] if times else 10.0
    return max(1, int(ahead * each / max(1, settings.LAB_WORKERS)))


def queue_position(run: LabRun) -> int | None:
    """1 for the next run to start, or None when it is not waiting."""
    if run.status != LabRun.QUEUED:
        return None
    ahead = LabRun.objects.filter(status=LabRun.QUEUED, created__lt=run.created).count()
    return ahead + 1


def record_progress(learner, pattern: Pattern) -> None:
    """The Lab mode's progress: the share of experiments the learner predicted and ran."""
    total = Experiment.objects.filter(pattern=pattern, is_active=True).count()
    ran = (
        LabRun.objects.filter(learner=learner, experiment__pattern=pattern, status=LabRun.DONE)
        .values("experiment")
        .distinct()
        .count()
    )
    if total:
        ModeProgress.advance(learner, pattern, "lab", round(100 * ran / total))


def recover_stalled() -> None:
    """Runs whose worker died mid-run get one more try, then fail with a reason."""
    reason = "The lab worker stopped during this run, twice. Try again."
    jobs.recover_stalled(LabRun, _enqueue, reason, progress="")


def _busy_cores_counter() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores), from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def perform(run_id: int) -> None:
    """A worker measures one queued run in the sandbox and stores what it saw."""
    if not jobs.claim(LabRun, run_id):  # taken, finished or failed already
        return
    run = LabRun.objects.select_related("experiment").get(pk=run_id)
    experiment = run.experiment
    spec = {"definition": _definition(experiment), "site": experiment.site, "server": run.server,
            "endpoint": run.endpoint, "parameters": run.parameters}  # fmt: skip
    files = {"spec.json": json.dumps(spec), "reading.py": experiment.reading, "runner.py": RUNNER}
    heard = {"progress": ""}

    def listen(text: str) -> None:
        for line in text.splitlines():
            if line.startswith("progress "):
                heard["progress"] = line.split()[1][:20]

    cpus = frozenset({SLOT % (os.cpu_count() or 1)}) if SLOT is not None else None
    limits = dataclasses.replace(RUN_LIMITS, cpus=cpus)
    beside = LabRun.objects.filter(status=LabRun.RUNNING).exclude(pk=run_id).count()
    busy_before, started = _busy_cores_counter(), time.monotonic()

    def started_in(namespace: int) -> None:
        heard["namespace"] = namespace

    def measure() -> sandbox.Outcome:
        argv = [sys.executable, "runner.py"]
        return sandbox.run(files, argv, limits=limits, on_output=listen, on_start=started_in)

    def beat() -> dict:
        return {"progress": heard["progress"], "namespace": heard.get("namespace")}

    try:
        outcome = jobs.while_beating(LabRun, run_id, measure, beat)
    except sandbox.SandboxUnavailable as exc:
        return _fail(run_id, f"Live runs are off on this server: {exc}.")
    seconds = time.monotonic() - started
    if outcome.status != "ok":
        return _fail(run_id, f"The run ended with {outcome.status}: {outcome.output[-300:]}")
    facts = json.loads(outcome.observation)
    other = (_busy_cores_counter() - busy_before - outcome.peak.get("cpu_seconds", 0)) / seconds
    machine = {"cores": os.cpu_count(), "pinned_to": sorted(cpus) if cpus else None,
               "other_busy_cores": round(max(0.0, other), 2), "runs_beside": beside}  # fmt: skip
    knobs = {**facts["knobs"], "cpu cores": f"core {sorted(cpus)[0]}" if cpus else "not pinned"}
    with transaction.atomic():
        result = LabResult.objects.create(
            key=memo_key(experiment, run.server, run.endpoint, run.parameters),
            experiment=experiment, server=run.server, endpoint=run.endpoint,
            parameters=run.parameters, requests=facts["requests"], wall=facts["wall"],
            probe=facts["probe"], tally=facts["tally"], cpu=facts["cpu"], knobs=knobs,
            reading=facts["reading"], machine=machine,
            under_load=max(0.0, other) > LOADED_CORES or beside > 0,
        )  # fmt: skip
        LabRun.objects.filter(pk=run_id).update(
            status=LabRun.DONE, result=result, finished=timezone.now(), progress=""
        )
        record_progress(run.learner, experiment.pattern)


def _fail(run_id: int, reason: str) -> None:
    LabRun.objects.filter(pk=run_id).update(
        status=LabRun.FAILED, reason=reason[:2000], finished=timezone.now()
    )
