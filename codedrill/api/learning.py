"""Catalog, mode content and the practice check: what the learning pages show, as JSON."""

import uuid

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router

from codedrill.api.core import AnswerIn, api, write
from codedrill.api.lab import experiment_json
from codedrill.content.models import ModePage, Pattern, Question
from codedrill.content.modes import BY_SLUG, PAGE_MODES
from codedrill.learning import dashboard, drills
from codedrill.progress.models import ModeProgress
from codedrill.quiz.answers import learner_order, reveal, reveal_json

router = Router(tags=["learning"])
api.add_router("/", router)


def _mode_json(card: dashboard.ModeCard) -> dict:
    return {
        "slug": card.mode.slug,
        "title": card.mode.title,
        "minutes": card.minutes,
        "available": card.live,
        "progress": card.percent,
        "state": card.state,
        "best": {"right": card.best_right, "total": card.best_total} if card.best_total else None,
    }


def _summary(request: HttpRequest, pattern: Pattern) -> dict:
    rows = ModeProgress.for_pattern(request.user, pattern)
    cards = dashboard.mode_cards(pattern, rows, pattern.live_modes())
    return {
        "slug": pattern.slug,
        "title": pattern.title,
        "framework": pattern.framework,
        "summary": pattern.summary,
        "minutes": pattern.total_minutes,
        "badge": pattern.badge,
        "modes": [_mode_json(card) for card in cards],
    }


@router.get("/me/progress")
def my_progress(request):
    """ "My learning": each pattern's completion per mode (progress 0–100, state) apart from
    the best Test and Challenge results, review items due today, badges, weakest concepts."""
    data = dashboard.my_learning(request.user)
    return {
        "patterns": [
            {
                "slug": p.pattern.slug,
                "title": p.pattern.title,
                "progress": p.percent,
                "modes": [_mode_json(card) for card in p.cards],
                "badge": p.badge.earned_at.isoformat() if p.badge else None,
            }
            for p in data["patterns"]
        ],
        "review_due_today": data["due_today"],
        "badges": [
            {"pattern": b.pattern.slug, "badge": b.pattern.badge, "earned_at": b.earned_at}
            for b in data["badges"]
        ],
        "weakest_concepts": [
            {
                "pattern": c.pattern.slug,
                "concept": c.slug,
                "title": c.title,
                "right": c.right,
                "missed": c.missed,
                "taught_in": [reverse("mode", args=[c.pattern.slug, m.slug]) for m in c.modes],
            }
            for c in data["weakest"]
        ],
    }


@router.get("/patterns")
def list_patterns(request):
    """Every live pattern with its modes, estimated minutes and the learner's progress."""
    return [_summary(request, pattern) for pattern in Pattern.objects.live()]


@router.get("/patterns/{slug}")
def get_pattern(request, slug: str):
    return _summary(request, Pattern.objects.get_live(slug))


def _question_json(request: HttpRequest, question: Question, drill: drills.Drill, progress) -> dict:
    """A question without its key; the solution only once this learner has finished it
    (`progress`: theirs on this question, or None)."""
    finished = drills.is_finished(progress, drill)
    version = progress.version if finished and progress.version else question.current
    shown = drills.shown(request.user, question, version)
    data = shown.as_json()
    data["tries_left"] = drills.tries_left(progress, drill)
    data["finished"] = finished
    data["hint"] = shown.version.hint if progress and progress.hint_shown else None
    if finished:
        data["solution"] = reveal_json(reveal(shown, progress.last_answer))
    return data


@router.get("/patterns/{slug}/modes/{mode}")
def get_mode(request, slug: str, mode: str):
    """A mode's content. Keys, solutions, mistakes and hints are absent until earned."""
    pattern = Pattern.objects.get_live(slug)
    if mode not in BY_SLUG or mode not in pattern.live_modes():
        raise Http404
    data: dict = {"mode": mode, "title": BY_SLUG[mode].title}
    if mode in PAGE_MODES or mode == "review":
        page = get_object_or_404(ModePage, pattern=pattern, mode=mode)
        data |= {"html": page.html, "contents": page.contents}
    if mode in drills.DRILLS:
        drill = drills.DRILLS[mode]
        pool = drills.questions(pattern, drill)
        progress = drills.progress_by_question(request.user, pool, drill)
        data["questions"] = [_question_json(request, q, drill, progress.get(q.pk)) for q in pool]
    if mode == "review":
        data["flashcards"] = [
            {"id": str(card.uuid), "concept": card.concept, "front": card.front, "back": card.back}
            for card in pattern.cards.filter(is_active=True)
        ]
    if mode == "visualize":
        traces = pattern.traces.filter(is_active=True)
        data["traces"] = [_trace_json(request.user, trace) for trace in traces]
    if mode in ("challenge", "test"):
        data["questions_in_pool"] = len(pattern.pool(mode))
    if mode == "lab":
        data["experiments"] = [
            experiment_json(e) for e in pattern.experiments.filter(is_active=True)
        ]
    return data


def _trace_json(learner, trace) -> dict:
    quiz = []
    for item in trace.data["quiz"]:
        by_id = {option["id"]: option for option in item["options"]}
        order = learner_order(learner, item["options"], item["id"])
        quiz.append({"id": item["id"], "stem": item["stem"], "options": [by_id[i] for i in order]})
    shown = {k: trace.data[k] for k in ("setup", "flow", "code", "steps", "moments")}
    return {"slug": trace.slug, "title": trace.title, **shown, "quiz": quiz}


@router.post("/questions/{question_id}/check", auth=write)
def check_answer(request, question_id: uuid.UUID, body: AnswerIn):
    """Check a practice answer (unlimited tries): whether it is right, and the solution."""
    drill = drills.DRILLS["practice"]
    question = Question.objects.filter(
        uuid=question_id, is_active=True, pattern__is_active=True
    ).first()
    if question is None or question not in drills.questions(question.pattern, drill):
        raise Http404
    progress = drills.answer(request.auth, question, drill, body.answer)
    shown = drills.shown(request.auth, question, progress.version)
    revealed = reveal_json(reveal(shown, progress.last_answer))
    return {"correct": progress.last_correct, "solution": revealed}
