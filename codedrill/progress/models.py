"""Where a learner stands, in one place: each mode's completion and best result, and how each
concept has gone. Every mode's rules report here; the pattern page, "My learning" and the API
read from here. It knows nothing of the modes' own rows, so it sits low in the stack
(content and accounts only)."""

from django.conf import settings
from django.db import models, transaction

from codedrill.content.models import Pattern
from codedrill.prepared import Param, Prepared
from codedrill.progress.signals import result_recorded


def _ids(learner, pattern) -> dict:
    """Learner and pattern may be given as objects or ids."""
    return {
        "learner_id": getattr(learner, "pk", learner),
        "pattern_id": getattr(pattern, "pk", pattern),
    }


class ModeProgress(models.Model):
    """One mode of one pattern for one learner: how much of it is done (`percent`), and for the
    scored modes (Challenge, Test) the best result, kept apart from completion."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mode_progress"
    )
    pattern = models.ForeignKey(Pattern, on_delete=models.PROTECT)
    mode = models.SlugField()
    percent = models.PositiveSmallIntegerField(default=0, help_text="Completion, 0–100.")
    best_right = models.PositiveSmallIntegerField(null=True, blank=True)
    best_total = models.PositiveSmallIntegerField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("learner", "pattern", "mode", name="one_progress_per_mode")
        ]

    def __str__(self) -> str:
        return f"{self.learner} {self.pattern.slug}/{self.mode} {self.percent}%"

    @property
    def state(self) -> str:
        """ "done", "started" or "new", the way the pages label a mode."""
        if self.percent >= 100:
            return "done"
        return "started" if self.percent or self.best_total else "new"

    @property
    def best_percent(self) -> int | None:
        if not self.best_total:
            return None
        return 100 * self.best_right // self.best_total

    @classmethod
    def advance(cls, learner, pattern, mode: str, percent: int) -> None:
        """Raise completion to `percent`; completion never goes back."""
        key = {**_ids(learner, pattern), "mode": mode}
        rows = cls.objects.filter(**key)
        if not rows.filter(percent__lt=percent).update(percent=percent):
            cls.objects.get_or_create(**key, defaults={"percent": percent})

    @classmethod
    def record_result(cls, learner, pattern, mode: str, right: int, total: int) -> None:
        """A finished Challenge or Test: the mode is done, and `right`/`total` is kept if it is
        the best so far (compared as a share, so a shorter test compares fairly)."""
        with transaction.atomic():
            cls.advance(learner, pattern, mode, 100)
            row = cls.objects.select_for_update().get(**_ids(learner, pattern), mode=mode)
            if row.best_total is None or right * row.best_total > row.best_right * total:
                row.best_right, row.best_total = right, total
                row.save(update_fields=["best_right", "best_total", "updated"])
            result_recorded.send(
                cls, learner_id=row.learner_id, pattern_id=row.pattern_id, mode=mode,
                right=right, total=total,
            )  # fmt: skip

    @classmethod
    def record_steps(cls, learner, pattern, mode: str, passed: int, total: int) -> None:
        """A mode of steps (Project): completion is the share passed, and `passed`/`total` is
        kept to show as "2 of 3 steps" (steps once passed stay passed, so it only grows)."""
        with transaction.atomic():
            cls.advance(learner, pattern, mode, round(100 * passed / total))
            rows = cls.objects.filter(**_ids(learner, pattern), mode=mode)
            rows.update(best_right=passed, best_total=total)
            result_recorded.send(
                cls, **_ids(learner, pattern), mode=mode, right=passed, total=total
            )

    @classmethod
    def for_pattern(cls, learner, pattern: Pattern) -> dict[str, "ModeProgress"]:
        """The learner's rows of one pattern by mode (modes never opened are absent)."""
        if not learner.is_authenticated:
            return {}
        return {row.mode: row for row in _OF_PATTERN.all(learner=learner.pk, pattern=pattern.pk)}

    @classmethod
    def is_done(cls, learner, pattern: Pattern, mode: str) -> bool:
        row = cls.for_pattern(learner, pattern).get(mode)
        return row is not None and row.state == "done"

    @classmethod
    def for_learner(cls, learner) -> dict[int, dict[str, "ModeProgress"]]:
        """Every row of the learner: pattern id -> mode -> row."""
        found: dict[int, dict[str, ModeProgress]] = {}
        if learner.is_authenticated:
            for row in cls.objects.filter(learner=learner):
                found.setdefault(row.pattern_id, {})[row.mode] = row
        return found


# Read by the pattern page and every mode page: compiled once (codedrill.prepared).
_OF_PATTERN = Prepared(
    lambda: ModeProgress.objects.filter(learner_id=Param("learner"), pattern_id=Param("pattern"))
)


class ConceptProgress(models.Model):
    """How a learner's judged answers on one concept of a pattern went: a Test's questions
    when it is finished, and Challenge problems missed. The weakest concepts are read here."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="concept_progress"
    )
    pattern = models.ForeignKey(Pattern, on_delete=models.PROTECT)
    concept = models.SlugField()
    right = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "learner", "pattern", "concept", name="one_progress_per_concept"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} {self.pattern.slug}/{self.concept}: {self.right}✓ {self.missed}✗"

    @property
    def share_missed(self) -> float:
        return self.missed / (self.right + self.missed) if self.missed else 0.0

    @classmethod
    def record(cls, learner, pattern, concepts, right: bool, count: int = 1) -> None:
        """Count `count` answers, right or missed, for each of `concepts`."""
        if not count:
            return
        field = "right" if right else "missed"
        for concept in concepts:
            row, _ = cls.objects.get_or_create(**_ids(learner, pattern), concept=concept)
            cls.objects.filter(pk=row.pk).update(**{field: models.F(field) + count})

    @classmethod
    def weakest(cls, learner, limit: int = 5) -> list["ConceptProgress"]:
        """Concepts with misses, the largest share missed first (then the most misses)."""
        if not learner.is_authenticated:
            return []
        rows = cls.objects.filter(learner=learner, missed__gt=0, pattern__is_active=True)
        rows = sorted(rows.select_related("pattern"), key=lambda r: (-r.share_missed, -r.missed))
        return rows[:limit]
