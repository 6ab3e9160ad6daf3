import uuid

from django.db import models

from codedrill.content.modes import MODES


class ContentVersion(models.Model):
    """One successful `codedrill publish`; what learners see is always one whole version."""

    published_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=500)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"v{self.pk} ({self.published_at:%Y-%m-%d %H:%M})"


class PatternQuerySet(models.QuerySet):
    def live(self) -> "PatternQuerySet":
        return self.filter(is_active=True)


class Pattern(models.Model):
    """A pattern, identified by the UUID in its pattern.yaml so a renamed folder keeps history."""

    uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    slug = models.SlugField(max_length=100, unique=True)
    track = models.SlugField()
    title = models.CharField(max_length=200)
    framework = models.CharField(max_length=100)
    summary = models.TextField()
    badge = models.CharField(max_length=100)
    concepts = models.JSONField(default=list)
    minutes = models.JSONField(default=dict, help_text="Estimated minutes per mode slug.")
    # Soft delete: a pattern removed from the content folder stays for its learners' records.
    is_active = models.BooleanField(default=True)
    version = models.ForeignKey(ContentVersion, on_delete=models.PROTECT)

    objects = PatternQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes.values())

    def live_modes(self) -> list[str]:
        """Mode slugs a learner can open now, in mode order; the rest are "coming soon"."""
        published = set(self.pages.values_list("mode", flat=True))
        return [mode.slug for mode in MODES if mode.slug in published]


class ModePage(models.Model):
    """A Markdown mode page (Learn, Why, Deep dive) as published: sanitized HTML."""

    pattern = models.ForeignKey(Pattern, on_delete=models.CASCADE, related_name="pages")
    mode = models.SlugField()
    html = models.TextField()
    contents = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint("pattern", "mode", name="one_page_per_mode")]

    def __str__(self) -> str:
        return f"{self.pattern.slug}/{self.mode}"
