from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from codedrill.accounts.learners import get_learner
from codedrill.content.models import ModePage, Pattern
from codedrill.content.modes import BY_SLUG, MODES
from codedrill.learning.models import ModeProgress


def _get_pattern(slug: str) -> Pattern:
    return get_object_or_404(Pattern.objects.live(), slug=slug)


def _get_page(pattern: Pattern, mode: str) -> ModePage:
    return get_object_or_404(ModePage, pattern=pattern, mode=mode)


@require_safe
def catalog(request: HttpRequest) -> HttpResponse:
    patterns = Pattern.objects.live()
    return render(request, "learning/catalog.html", {"patterns": patterns})


@require_safe
def pattern_page(request: HttpRequest, slug: str) -> HttpResponse:
    pattern = _get_pattern(slug)
    progress = ModeProgress.for_pattern(request.user, pattern)
    live = pattern.live_modes()
    cards = [
        {
            "mode": mode,
            "minutes": pattern.minutes.get(mode.slug, 0),
            "percent": progress.get(mode.slug, 0),
            "live": mode.slug in live,
        }
        for mode in MODES
    ]
    context = {"pattern": pattern, "cards": cards, "test": BY_SLUG["test"]}
    return render(request, "learning/pattern.html", context)


@require_safe
def mode_page(request: HttpRequest, slug: str, mode: str) -> HttpResponse:
    pattern = _get_pattern(slug)
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
        "done": ModeProgress.for_pattern(request.user, pattern).get(mode, 0) == 100,
    }
    return render(request, "learning/page.html", context)


@require_POST
def mode_page_done(request: HttpRequest, slug: str, mode: str) -> HttpResponse:
    pattern = _get_pattern(slug)
    live = pattern.live_modes()
    if mode not in live:
        raise Http404("No such page.")
    ModeProgress.advance(get_learner(request), pattern, mode, 100)
    following = live[live.index(mode) + 1 :]
    if following:
        return redirect("mode", slug=slug, mode=following[0])
    return redirect("pattern", slug=slug)
