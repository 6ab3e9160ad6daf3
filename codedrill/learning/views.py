from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from codedrill.accounts.learners import get_learner
from codedrill.attempts import rules as attempts
from codedrill.content.models import ModePage, Pattern
from codedrill.content.modes import BY_SLUG, READING_MODES
from codedrill.learning import dashboard, drills
from codedrill.progress.models import ModeProgress
from codedrill.quiz.answers import BadAnswer, from_form, reveal


def _get_page(pattern: Pattern, mode: str) -> ModePage:
    if page := pattern.page(mode):
        return page
    raise Http404("No such page.")


@require_safe
def catalog(request: HttpRequest) -> HttpResponse:
    """Every live pattern, grouped by track (a heading each), tracks and titles in order."""
    tracks: dict[str, list] = {}
    for pattern in Pattern.objects.live().order_by("track", "title"):
        tracks.setdefault(pattern.track, []).append((pattern, len(pattern.live_modes())))
    return render(request, "learning/catalog.html", {"tracks": tracks})


@require_safe
def pattern_page(request: HttpRequest, slug: str) -> HttpResponse:
    pattern = Pattern.objects.get_live(slug)
    live = pattern.live_modes()
    cards = dashboard.mode_cards(pattern, ModeProgress.for_pattern(request.user, pattern), live)
    context = {
        "pattern": pattern,
        "cards": cards,
        "live": len(live),
        "percent": dashboard.completion(cards),
        "test": next(card for card in cards if card.mode.slug == "test"),
        "badge": attempts.badge_for(request.user, pattern),
    }
    return render(request, "learning/pattern.html", context)


@require_safe
def my_learning(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/me.html", dashboard.my_learning(request.user))


@require_safe
def mode_page(request: HttpRequest, slug: str, mode: str) -> HttpResponse:
    if mode in drills.DRILLS:
        return drill_list(request, slug, mode)
    pattern = Pattern.objects.get_live(slug)
    page = _get_page(pattern, mode)
    live = pattern.live_modes()
    index = live.index(mode)
    context = {
        "pattern": pattern,
        "page": page,
        "mode": BY_SLUG[mode],
        "minutes": pattern.minutes.get(mode, 0),
        "previous": BY_SLUG[live[index - 1]] if index > 0 else None,
        "next": BY_SLUG[live[index + 1]] if index + 1 < len(live) else None,
        "done": ModeProgress.is_done(request.user, pattern, mode),
    }
    return render(request, "learning/page.html", context)


@require_POST
def mode_page_done(request: HttpRequest, slug: str, mode: str) -> HttpResponse:
    pattern = Pattern.objects.get_live(slug)
    live = pattern.live_modes()
    if mode not in live or mode not in READING_MODES:
        raise Http404("No such page to read.")
    ModeProgress.advance(get_learner(request), pattern, mode, 100)
    following = live[live.index(mode) + 1 :]
    if following:
        return redirect("mode", slug=slug, mode=following[0])
    return redirect("pattern", slug=slug)


# What one question of each mode is called, and more than one.
DRILL_NOUNS = {
    "try": ("Task", "tasks"),
    "practice": ("Problem", "problems"),
    "review": ("Quick quiz question", "quick quiz questions"),
}


def drill_list(request: HttpRequest, slug: str, mode: str) -> HttpResponse:
    """Try and Practice: the tasks with their difficulty and where the learner is."""
    pattern = Pattern.objects.get_live(slug)
    drill = drills.get_drill(mode)
    pool = drills.questions(pattern, drill)
    if not pool:
        raise Http404("This mode has no questions yet.")
    progress_of = drills.progress_by_question(request.user, pool, drill)
    rows = []
    for n, question in enumerate(pool, 1):
        progress = progress_of.get(question.pk)
        rows.append(
            {
                "n": n,
                "question": question,
                "finished": drills.is_finished(progress, drill),
                "correct": bool(progress and progress.correct),
            }
        )
    context = {
        "pattern": pattern,
        "mode": BY_SLUG[mode],
        "minutes": pattern.minutes.get(mode, 0),
        "rows": rows,
        "noun": DRILL_NOUNS[mode][0],
        "nouns": DRILL_NOUNS[mode][1],
        "resume": next((row["n"] for row in rows if not row["finished"]), 1),
    }
    return render(request, "learning/drill_list.html", context)


def drill(request: HttpRequest, slug: str, mode: str, n: int) -> HttpResponse:
    """One question of Try, Practice or the quick quiz: answer (POST), then see the solution."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse("Use GET or POST.", status=405, headers={"Allow": "GET, HEAD, POST"})
    pattern = Pattern.objects.get_live(slug)
    drill_ = drills.get_drill(mode)
    question, total = drills.question_at(pattern, drill_, n)
    error = ""
    if request.method == "POST":
        try:
            drills.answer(
                get_learner(request), question, drill_, from_form(question.current, request.POST)
            )
        except BadAnswer as exc:
            error = str(exc)
        else:
            return redirect("drill", slug=slug, mode=mode, n=n)
    progress = drills.progress_of(request.user, question, drill_)
    finished = drills.is_finished(progress, drill_)
    again = finished and drill_.tries is None and "again" in request.GET
    version = progress.version if finished and progress.version else question.current
    shown = drills.shown(request.user, question, version)
    show_solution = finished and not again
    tries_left = drills.tries_left(progress, drill_)
    last = progress.last_answer if progress and not again else None
    shown.mark(last, show_solution)
    feedback = None
    if error:
        feedback = {"tone": "bad", "text": error}
    elif show_solution:
        right = progress.last_correct
        feedback = {
            "tone": "ok" if right else "bad",
            "text": "Correct." if right else "Not correct.",
        }
    elif last is not None:
        left = f"{tries_left} attempt{'s' if tries_left != 1 else ''} left"
        feedback = {"tone": "bad", "text": f"Not yet: that is not right. {left}."}
    context = {
        "pattern": pattern,
        "mode": BY_SLUG[mode],
        "noun": DRILL_NOUNS[mode][0],
        "nouns": DRILL_NOUNS[mode][1],
        "n": n,
        "total": total,
        "shown": shown,
        "form": shown.prefill(last),
        "feedback": feedback,
        "finished": finished,
        "show_solution": show_solution,
        "revealed": reveal(shown, progress.last_answer) if show_solution else None,
        "tries_left": tries_left,
        "hint": progress.hint_shown if progress else False,
        "error": error,
        "previous_n": n - 1 if n > 1 else None,
        "next_n": n + 1 if n < total else None,
    }
    return render(request, "learning/drill.html", context, status=400 if error else 200)


@require_POST
def drill_hint(request: HttpRequest, slug: str, mode: str, n: int) -> HttpResponse:
    pattern = Pattern.objects.get_live(slug)
    drill_ = drills.get_drill(mode)
    question, _total = drills.question_at(pattern, drill_, n)
    drills.take_hint(get_learner(request), question, drill_)
    return redirect(reverse("drill", args=[slug, mode, n]) + "#hint")
