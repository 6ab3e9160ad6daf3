"""The untimed question modes: Try, Practice and Review's quick quiz. One home for their rules,
used by the pages and the API.

Try allows 3 attempts and reveals the completed code when the task is right or the attempts
are gone. Practice and the quick quiz allow unlimited tries and reveal after every answer.
"""

from dataclasses import dataclass

from django.db import transaction
from django.http import Http404

from codedrill.content.models import Pattern, Question, QuestionVersion
from codedrill.learning.models import QuestionProgress
from codedrill.prepared import Param, Prepared
from codedrill.progress.models import ModeProgress
from codedrill.quiz.answers import Shown, is_correct, learner_order, parse


@dataclass(frozen=True)
class Drill:
    mode: str
    tries: int | None  # None: unlimited


DRILLS = {
    "try": Drill("try", 3),
    "practice": Drill("practice", None),
    "review": Drill("review", None),
}


def get_drill(mode: str) -> Drill:
    if mode not in DRILLS:
        raise Http404("This mode has no questions.")
    return DRILLS[mode]


def questions(pattern: Pattern, drill: Drill) -> list[Question]:
    return pattern.pool(drill.mode)


def question_at(pattern: Pattern, drill: Drill, n: int) -> tuple[Question, int]:
    """The nth question (1-based) and how many there are, or 404."""
    pool = questions(pattern, drill)
    if not 1 <= n <= len(pool):
        raise Http404("No such question.")
    return pool[n - 1], len(pool)


def shown(learner, question: Question, version: QuestionVersion) -> Shown:
    """A version of the question as this learner sees it: options in their own order."""
    return Shown(version, learner_order(learner, version.options, str(question.uuid)))


# Read by every question page: compiled once (codedrill.prepared).
_PROGRESS = Prepared(
    lambda: QuestionProgress.objects.filter(
        learner_id=Param("learner"), question_id=Param("question"), mode=Param("mode")
    )
)


def progress_of(learner, question: Question, drill: Drill) -> QuestionProgress | None:
    if not learner.is_authenticated:
        return None
    return _PROGRESS.first(learner=learner.pk, question=question.pk, mode=drill.mode)


def progress_by_question(learner, pool: list[Question], drill: Drill) -> dict:
    """The learner's progress on each of these questions in one query: question id -> row
    (with the version it was last answered on); questions never answered are absent."""
    if not learner.is_authenticated:
        return {}
    rows = QuestionProgress.objects.filter(learner=learner, question__in=pool, mode=drill.mode)
    return {row.question_id: row for row in rows.select_related("version")}


def is_finished(progress: QuestionProgress | None, drill: Drill) -> bool:
    """Finished: the solution may be shown."""
    if progress is None or progress.tries == 0:
        return False
    if drill.tries is None:
        return True
    return progress.correct or progress.tries >= drill.tries


def tries_left(progress: QuestionProgress | None, drill: Drill) -> int | None:
    if drill.tries is None:
        return None
    return drill.tries - (progress.tries if progress else 0)


def answer(learner, question: Question, drill: Drill, raw) -> QuestionProgress:
    """Judge and record an answer. BadAnswer (nothing recorded) if it is not a possible answer;
    once Try's attempts are used up, further answers change nothing."""
    version = question.current
    parsed = parse(version, raw)
    with transaction.atomic():
        progress, _ = QuestionProgress.objects.select_for_update().get_or_create(
            learner=learner, question=question, mode=drill.mode
        )
        if drill.tries is not None and is_finished(progress, drill):
            return progress
        right = is_correct(version, parsed)
        progress.version = version
        progress.tries += 1
        progress.last_answer = parsed
        progress.last_correct = right
        progress.correct = progress.correct or right
        progress.save()
        _record_mode_progress(learner, question.pattern, drill)
    return progress


def take_hint(learner, question: Question, drill: Drill) -> QuestionProgress:
    with transaction.atomic():
        progress, _ = QuestionProgress.objects.select_for_update().get_or_create(
            learner=learner, question=question, mode=drill.mode
        )
        if not progress.hint_shown:
            progress.hint_shown = True
            progress.save(update_fields=["hint_shown", "updated"])
    return progress


def _record_mode_progress(learner, pattern: Pattern, drill: Drill) -> None:
    pool = questions(pattern, drill)
    rows = QuestionProgress.objects.filter(learner=learner, mode=drill.mode, question__in=pool)
    done = sum(1 for row in rows if is_finished(row, drill))
    ModeProgress.advance(learner, pattern, drill.mode, round(100 * done / len(pool)))
