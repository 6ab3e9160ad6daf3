"""What a learner's progress looks like across patterns: the pattern page's mode cards and
"My learning". Read from the progress app (where every mode's rules report), the review queue
and the badges; the page and the API both build from here."""

from dataclasses import dataclass

from codedrill.attempts import rules as attempts
from codedrill.content.models import Pattern
from codedrill.content.modes import BY_SLUG, MODES, Mode
from codedrill.progress.models import ConceptProgress, ModeProgress
from codedrill.review import queue

# How many of the weakest concepts "My learning" lists.
WEAKEST = 5


@dataclass(frozen=True)
class ModeCard:
    mode: Mode
    minutes: int
    live: bool
    percent: int  # completion
    state: str  # "done", "started", "new"
    best_right: int | None  # Challenge and Test: the best result
    best_total: int | None


def mode_cards(pattern: Pattern, rows: dict[str, ModeProgress], live: list[str]) -> list[ModeCard]:
    cards = []
    for mode in MODES:
        row = rows.get(mode.slug)
        cards.append(
            ModeCard(
                mode=mode,
                minutes=pattern.minutes.get(mode.slug, 0),
                live=mode.slug in live,
                percent=row.percent if row else 0,
                state=row.state if row else "new",
                best_right=row.best_right if row else None,
                best_total=row.best_total if row else None,
            )
        )
    return cards


def completion(cards: list[ModeCard]) -> int:
    """A pattern's completion: the mean of its live modes' completion."""
    live = [card.percent for card in cards if card.live]
    return round(sum(live) / len(live)) if live else 0


@dataclass(frozen=True)
class PatternProgress:
    pattern: Pattern
    percent: int
    cards: list[ModeCard]
    test: ModeCard
    challenge: ModeCard
    badge: object  # attempts.models.Badge or None

    @property
    def live_cards(self) -> list[ModeCard]:
        return [card for card in self.cards if card.live]


@dataclass(frozen=True)
class WeakConcept:
    pattern: Pattern
    slug: str
    title: str
    right: int
    missed: int
    modes: list[Mode]  # live modes that teach it


def my_learning(user) -> dict:
    """Everything "My learning" shows: each pattern with completion per mode and the best Test
    and Challenge results, review cards due now, badges, and the weakest concepts."""
    rows = ModeProgress.for_learner(user)
    badges = attempts.badges(user)
    badge_of = {badge.pattern_id: badge for badge in badges}
    patterns = []
    for pattern in Pattern.objects.live():
        cards = mode_cards(pattern, rows.get(pattern.pk, {}), pattern.live_modes())
        by_slug = {card.mode.slug: card for card in cards}
        patterns.append(
            PatternProgress(
                pattern=pattern,
                percent=completion(cards),
                cards=cards,
                test=by_slug["test"],
                challenge=by_slug["challenge"],
                badge=badge_of.get(pattern.pk),
            )
        )
    teaching: dict[int, dict[str, list[str]]] = {}
    weakest = []
    for row in ConceptProgress.weakest(user, WEAKEST):
        pattern = row.pattern
        if pattern.pk not in teaching:
            teaching[pattern.pk] = pattern.teaching_modes()
        titles = {c["slug"]: c["title"] for c in pattern.concepts}
        weakest.append(
            WeakConcept(
                pattern=pattern,
                slug=row.concept,
                title=titles.get(row.concept, row.concept),
                right=row.right,
                missed=row.missed,
                modes=[BY_SLUG[m] for m in teaching[pattern.pk].get(row.concept, [])],
            )
        )
    return {
        "patterns": patterns,
        "due_today": queue.due_today(user),
        "badges": badges,
        "weakest": weakest,
    }
