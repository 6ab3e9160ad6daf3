"""Visualize: step through a recorded execution, then answer a short quiz about it.

Steps are plain links (?step=N), so stepping works without JavaScript and ← → follow them.
The mode's rules (finishing a trace, answering its quiz, the mode's progress) live here too.
"""

import re
from string import ascii_uppercase

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST, require_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from codedrill.accounts.learners import get_learner
from codedrill.content.models import Pattern, Trace
from codedrill.content.modes import BY_SLUG
from codedrill.learning.models import TraceProgress
from codedrill.prepared import Param, Prepared
from codedrill.progress.models import ModeProgress
from codedrill.quiz.answers import inline_code, learner_order

_CURRENT_LINE = (
    '<span class="hll" aria-current="step"><span class="visually-hidden">Current line: </span>'
)


STEP_RE = re.compile(r"[0-9]{1,6}")


class BadChoice(ValueError):
    """A quiz answer that is not one of the item's options; nothing is recorded."""


def _traces(pattern: Pattern) -> list[Trace]:
    """The live traces, shared (Pattern.published): never change one."""
    return list(pattern.published("traces", lambda: tuple(pattern.traces.filter(is_active=True))))


def _quiz_item(trace: Trace, item_id: str) -> dict:
    for item in trace.data["quiz"]:
        if item["id"] == item_id:
            return item
    raise Http404("No such quiz question.")


def code_with_line(code: str, line: int) -> SafeString:
    """The trace's code, highlighted and numbered; `line` marked for eyes and screen readers."""
    # stripnl=False keeps leading blank lines, so line numbers match the steps'.
    formatter = HtmlFormatter(
        cssclass="highlight", wrapcode=True, linenos="inline", hl_lines=[line]
    )
    out = highlight(code, PythonLexer(stripnl=False), formatter)
    # Pygments escapes the code; the marker is fixed markup.
    return mark_safe(out.replace('<span class="hll">', _CURRENT_LINE, 1))  # noqa: S308


def finish(learner, trace: Trace) -> None:
    """The learner stepped through the trace to its last step."""
    with transaction.atomic():
        progress, _ = TraceProgress.objects.select_for_update().get_or_create(
            learner=learner, trace=trace
        )
        if not progress.finished:
            progress.finished = True
            progress.save(update_fields=["finished", "updated"])
        record_progress(learner, trace.pattern)


def answer(learner, trace: Trace, item: dict, choice: str) -> dict:
    """Judge and record a quiz answer; the first answer to an item is final. Returns the
    recorded {choice, correct}; BadChoice if `choice` is not one of the item's options."""
    if choice not in [option["id"] for option in item["options"]]:
        raise BadChoice("Choose one of the options.")
    with transaction.atomic():
        progress, _ = TraceProgress.objects.select_for_update().get_or_create(
            learner=learner, trace=trace
        )
        if item["id"] not in progress.answers:
            progress.answers[item["id"]] = {"choice": choice, "correct": choice == item["key"]}
            progress.save(update_fields=["answers", "updated"])
        record_progress(learner, trace.pattern)
    return progress.answers[item["id"]]


def record_progress(learner, pattern: Pattern) -> None:
    """Visualize's progress: each trace counts its stepping through and each quiz answer."""
    traces = _traces(pattern)
    if not traces:
        return
    rows = TraceProgress.objects.filter(learner=learner, trace__in=traces)
    by_trace = {row.trace_id: row for row in rows}
    total = sum(1 + len(trace.data["quiz"]) for trace in traces)
    done = 0
    for trace in traces:
        row = by_trace.get(trace.pk)
        if row is not None:
            done += row.finished + _answered(trace, row)
    ModeProgress.advance(learner, pattern, "visualize", 100 * done // total)


def _answered(trace: Trace, progress: TraceProgress) -> int:
    """Quiz items of the trace as published now that the learner has answered."""
    return sum(1 for item in trace.data["quiz"] if item["id"] in progress.answers)


def _step_number(value: str | None, total: int) -> int:
    if value is None:
        return 1
    # ASCII digits only, and few: str.isdigit() also accepts "²", which int() refuses.
    if not STEP_RE.fullmatch(value) or not 1 <= int(value) <= total:
        raise Http404(f"This trace has steps 1 to {total}.")
    return int(value)


def _get(slug: str, trace_slug: str) -> tuple[Pattern, Trace]:
    pattern = Pattern.objects.get_live(slug)
    for trace in _traces(pattern):
        if trace.slug == trace_slug:
            return pattern, trace
    raise Http404("No such trace.")


def _quiz(
    trace: Trace, learner, progress: TraceProgress | None, errors: dict[str, str]
) -> list[dict]:
    """The quiz as this learner may see it: options in their own order; an item's key and
    solution only once answered."""
    answers = progress.answers if progress else {}
    quiz, first_open = [], True
    for number, item in enumerate(trace.data["quiz"], 1):
        by_id = {option["id"]: option for option in item["options"]}
        order = learner_order(learner, item["options"], item["id"])
        options = [
            {"id": i, "letter": ascii_uppercase[n], "html": mark_safe(by_id[i]["html"])}  # noqa: S308
            for n, i in enumerate(order)
        ]
        entry = {
            "id": item["id"],
            "number": number,
            "stem": mark_safe(item["stem"]),  # noqa: S308 - sanitized at publish
            "options": options,
            "error": errors.get(item["id"], ""),
            "answered": answers.get(item["id"]),
        }
        if entry["answered"]:
            entry["key"] = next(o for o in options if o["id"] == item["key"])
            entry["solution"] = [mark_safe(step) for step in item["solution"]]  # noqa: S308
        else:
            # Only the first open item takes the number keys (codedrill.js uses the first
            # form[data-choices] on the page).
            entry["keys"], first_open = first_open, False
        quiz.append(entry)
    return quiz


# The learner's rows of the pattern's live traces, read by every step's page: compiled once
# (codedrill.prepared).
_PROGRESS = Prepared(
    lambda: TraceProgress.objects.filter(
        learner_id=Param("learner"), trace__pattern_id=Param("pattern"), trace__is_active=True
    )
)


def _render(
    request: HttpRequest,
    pattern: Pattern,
    trace: Trace,
    n: int,
    errors: dict[str, str] | None = None,
) -> HttpResponse:
    data = trace.data
    steps = data["steps"]
    current = steps[n - 1]
    before = steps[n - 2]["variables"] if n > 1 else None
    names = list(dict.fromkeys(name for step in steps for name in step["variables"]))
    traces = _traces(pattern)
    learner = request.user
    rows = _PROGRESS.all(learner=learner.pk, pattern=pattern.pk) if learner.is_authenticated else []
    progress = {row.trace_id: row for row in rows}
    index = next(i for i, t in enumerate(traces) if t.pk == trace.pk)
    context = {
        "pattern": pattern,
        "mode": BY_SLUG["visualize"],
        "minutes": pattern.minutes.get("visualize", 0),
        "trace": trace,
        "setup": inline_code(data["setup"]),
        "flow": [mark_safe(step) for step in data["flow"]],  # noqa: S308 - sanitized at publish
        "moments": [mark_safe(m) for m in data["moments"]],  # noqa: S308 - sanitized at publish
        "n": n,
        "total": len(steps),
        "says": mark_safe(current["says"]),  # noqa: S308 - sanitized at publish
        "code": pattern.published(
            f"trace {trace.pk} line {current['line']}",
            lambda: code_with_line(data["code"], current["line"]),
        ),
        "line": current["line"],
        "names": names,
        "table": [
            {
                "n": i,
                "line": step["line"],
                "event": step["event"],
                "values": [step["variables"].get(name, "") for name in names],
            }
            for i, step in enumerate(steps[:n], 1)
        ],
        "tracker": [
            {
                "name": name,
                "value": value,
                "changed": before is not None and before.get(name) != value,
            }
            for name, value in current["variables"].items()
        ],
        "traces": [
            {
                "trace": t,
                "finished": t.pk in progress and progress[t.pk].finished,
                "answered": _answered(t, progress[t.pk]) if t.pk in progress else 0,
                "questions": len(t.data["quiz"]),
            }
            for t in traces
        ],
        "finished": trace.pk in progress and progress[trace.pk].finished,
        "quiz": _quiz(trace, learner, progress.get(trace.pk), errors or {}),
        "previous_trace": traces[index - 1] if index > 0 else None,
        "next_trace": traces[index + 1] if index + 1 < len(traces) else None,
    }
    return render(request, "learning/visualize.html", context, status=400 if errors else 200)


@require_safe
def visualize(request: HttpRequest, slug: str) -> HttpResponse:
    pattern = Pattern.objects.get_live(slug)
    traces = _traces(pattern)
    if not traces:
        raise Http404("This pattern has no traces yet.")
    return redirect("visualize-trace", slug=slug, trace=traces[0].slug)


@require_safe
def trace_page(request: HttpRequest, slug: str, trace: str) -> HttpResponse:
    pattern, row = _get(slug, trace)
    return _render(
        request, pattern, row, _step_number(request.GET.get("step"), len(row.data["steps"]))
    )


@require_POST
def trace_finish(request: HttpRequest, slug: str, trace: str) -> HttpResponse:
    _pattern, row = _get(slug, trace)
    finish(get_learner(request), row)
    url = reverse("visualize-trace", args=[slug, trace])
    return redirect(f"{url}?step={len(row.data['steps'])}#quiz")


@require_POST
def trace_answer(request: HttpRequest, slug: str, trace: str, item: str) -> HttpResponse:
    pattern, row = _get(slug, trace)
    quiz_item = _quiz_item(row, item)
    n = _step_number(request.POST.get("step"), len(row.data["steps"]))
    try:
        answer(get_learner(request), row, quiz_item, request.POST.get("choice", ""))
    except BadChoice as exc:
        return _render(request, pattern, row, n, errors={item: str(exc)})
    url = reverse("visualize-trace", args=[slug, trace])
    return redirect(f"{url}?step={n}#q-{item}")
