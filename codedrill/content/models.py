import uuid
from collections.abc import Callable
from typing import TypeVar

from django.db import models
from django.db.models import Exists
from django.http import Http404

from codedrill.content.modes import MODES, READING_MODES
from codedrill.prepared import Param, Prepared

# Modes whose content is a pool of questions of the same name.
QUESTION_MODES = {"try", "practice", "challenge", "test"}
# Modes that teach a concept, in the order a learner should revisit them.
TEACHING_MODES = ["learn", "deep-dive", "practice", "review"]

T = TypeVar("T")
# Pattern.published: pattern id -> (its version id, {name: value}).
_published: dict[int, tuple[int, dict]] = {}
# QuestionVersion.shared: version id -> the version, read once per process.
_versions: dict[int, "QuestionVersion"] = {}


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


class PatternManager(models.Manager.from_queryset(PatternQuerySet)):
    def get_live(self, slug: str) -> "Pattern":
        """The live pattern with this slug, or 404 (pages and API alike)."""
        if pattern := _LIVE_PATTERN.first(slug=slug):
            return pattern
        raise Http404("No such pattern.")


class Pattern(models.Model):
    """A pattern, identified by the UUID in its pattern.yaml so a renamed folder keeps history."""

    uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    slug = models.SlugField(max_length=100, unique=True)
    track = models.SlugField()
    title = models.CharField(max_length=200)
    framework = models.CharField(max_length=100)
    summary = models.TextField()
    badge = models.CharField(max_length=100)
    badge_needs_project = models.BooleanField(
        default=False, help_text="The badge also needs every step of the project passed."
    )
    concepts = models.JSONField(default=list)
    minutes = models.JSONField(default=dict, help_text="Estimated minutes per mode slug.")
    # Soft delete: a pattern removed from the content folder stays for its learners' records.
    is_active = models.BooleanField(default=True)
    version = models.ForeignKey(ContentVersion, on_delete=models.PROTECT)

    objects = PatternManager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes.values())

    def published(self, name: str, compute: Callable[[], T]) -> T:
        """What `compute()` gives for this pattern's published content, computed once per
        process and version. Every `codedrill publish` gives each live pattern a new `version`
        in one transaction, and nothing else writes its content (the admin shows it
        read-only), so (pattern, version) names that content exactly; a new version drops the
        old one's values. The values are shared: never change one."""
        version, values = _published.get(self.pk, (None, {}))
        if version != self.version_id:
            values = {}
            _published[self.pk] = (self.version_id, values)
        if name not in values:
            values[name] = compute()
        return values[name]

    def live_modes(self) -> list[str]:
        """Mode slugs a learner can open now, in mode order; the rest are "coming soon"."""
        return list(self.published("live_modes", self._live_modes))

    def _live_modes(self) -> tuple[str, ...]:
        # One query asks which of the modes made of pages (review: the cheat sheet) or of rows
        # of their own have one.
        has = {mode: Exists(self.pages.filter(mode=mode)) for mode in READING_MODES}
        made_of = {"visualize": self.traces, "lab": self.experiments, "project": self.projects}
        has |= {mode: Exists(rows.filter(is_active=True)) for mode, rows in made_of.items()}
        found = Pattern.objects.filter(pk=self.pk).values(**has).get()
        published = {mode for mode, present in found.items() if present}
        published |= {pool for _pk, pools in self._pools() for pool in pools} & QUESTION_MODES
        return tuple(mode.slug for mode in MODES if mode.slug in published)

    def _pools(self) -> tuple[tuple[int, tuple[str, ...]], ...]:
        """(id, pools) of each live question."""
        return self.published(
            "pools",
            lambda: tuple(
                (pk, tuple(pools))
                for pk, pools in self.questions.filter(is_active=True).values_list(
                    "pk", "current__pools"
                )
            ),
        )

    def page(self, mode: str) -> "ModePage | None":
        """The published page of a mode (Review's is the cheat sheet), shared, or None."""
        return self.published(f"page {mode}", lambda: self.pages.filter(mode=mode).first())

    def live_cards(self) -> list["Flashcard"]:
        """The live flashcards, in order, shared (Pattern.published): never change one."""
        return list(self.published("cards", lambda: tuple(self.cards.filter(is_active=True))))

    def teaching_modes(self) -> dict[str, list[str]]:
        """concept -> live mode slugs that teach it. Learn and Deep dive cover every concept;
        Practice and Review teach the concepts their questions or flashcards are tagged with."""
        live = self.live_modes()
        tagged = {
            "practice": {c for q in self.pool("practice") for c in q.current.concepts},
            "review": {c for q in self.pool("review") for c in q.current.concepts}
            | set(self.cards.filter(is_active=True).values_list("concept", flat=True)),
        }
        return {
            concept["slug"]: [
                mode
                for mode in TEACHING_MODES
                if mode in live and (mode not in tagged or concept["slug"] in tagged[mode])
            ]
            for concept in self.concepts
        }

    def pool(self, name: str) -> list["Question"]:
        """The live questions of a pool (try, practice, challenge, test, review), by slug,
        each with its current version loaded: shared (Pattern.published), never changed."""
        return list(self.published(f"pool {name}", lambda: self._read_pool(name)))

    def _read_pool(self, name: str) -> tuple["Question", ...]:
        # Pools are read first on their own: decoding every whole version costs milliseconds.
        ids = [pk for pk, pools in self._pools() if name in pools]
        return tuple(self.questions.filter(pk__in=ids).select_related("current", "pattern"))


# Nearly every request reads its pattern this way: compiled once (codedrill.prepared).
_LIVE_PATTERN = Prepared(lambda: Pattern.objects.live().filter(slug=Param("slug")))


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


class Question(models.Model):
    """A question's identity (the UUID in its question.yaml); what it says lives in versions."""

    uuid = models.UUIDField(unique=True)
    pattern = models.ForeignKey(Pattern, on_delete=models.CASCADE, related_name="questions")
    slug = models.SlugField(max_length=100)
    # Soft delete: attempts that showed a removed question keep pointing at it.
    is_active = models.BooleanField(default=True)
    current = models.ForeignKey(
        "QuestionVersion", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class QuestionVersion(models.Model):
    """One published wording of a question. Immutable: attempts keep the version they showed,
    and a publish that changes a question adds a version instead of editing this one."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    content_version = models.ForeignKey(ContentVersion, on_delete=models.PROTECT)
    digest = models.CharField(max_length=64)
    kind = models.CharField(max_length=20)
    difficulty = models.CharField(max_length=20)
    category = models.CharField(max_length=30)
    concepts = models.JSONField(default=list)
    pools = models.JSONField(default=list)
    setup = models.TextField(blank=True)
    stem = models.TextField(help_text="Sanitized HTML.")
    code = models.TextField(blank=True, help_text="Source; blanks written ___name___.")
    code_html = models.TextField(blank=True, help_text="`code` highlighted, at publish.")
    options = models.JSONField(default=list, help_text="[{id, html, blank?}]")
    key = models.JSONField()
    rule = models.TextField(blank=True, help_text="The one-line quick check; `code` in backticks.")
    hint = models.TextField(help_text="Sanitized HTML.")
    solution = models.JSONField(default=list, help_text="Steps, sanitized HTML.")
    mistakes = models.JSONField(default=list, help_text="[{option or answer, html}]")

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.question.slug} (v{self.content_version_id})"

    @classmethod
    def shared(cls, pks: list[int]) -> dict[int, "QuestionVersion"]:
        """These versions by id, each read once per process (a version never changes) and
        shared by every request: read their fields, never set one, nor a related object."""
        if missing := set(pks) - _versions.keys():
            _versions.update((v.pk, v) for v in cls.objects.filter(pk__in=missing))
        return {pk: _versions[pk] for pk in pks}


class Trace(models.Model):
    """A Visualize trace as published; `data` holds its rendered flow, steps, moments, quiz."""

    uuid = models.UUIDField(unique=True)
    pattern = models.ForeignKey(Pattern, on_delete=models.CASCADE, related_name="traces")
    slug = models.SlugField(max_length=100)
    title = models.CharField(max_length=200)
    data = models.JSONField(default=dict)
    is_active = models.BooleanField(default=True)
    version = models.ForeignKey(ContentVersion, on_delete=models.PROTECT)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title


class Flashcard(models.Model):
    uuid = models.UUIDField(unique=True)
    pattern = models.ForeignKey(Pattern, on_delete=models.CASCADE, related_name="cards")
    concept = models.SlugField()
    front = models.TextField(help_text="Sanitized HTML.")
    back = models.TextField(help_text="Sanitized HTML.")
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    version = models.ForeignKey(ContentVersion, on_delete=models.PROTECT)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.front[:60]


class Experiment(models.Model):
    """A lab experiment: a tiny site, what a learner may aim at it, and the bounds."""

    uuid = models.UUIDField(unique=True)
    pattern = models.ForeignKey(Pattern, on_delete=models.CASCADE, related_name="experiments")
    slug = models.SlugField(max_length=100)
    title = models.CharField(max_length=200)
    question = models.CharField(max_length=300, default="")
    summary = models.TextField(help_text="Sanitized HTML.")
    site = models.TextField()
    reading = models.TextField(default="", help_text="reading.py: reading(run) -> str.")
    endpoints = models.JSONField(default=list)
    servers = models.JSONField(default=list)
    parameters = models.JSONField(default=dict)
    middleware = models.JSONField(default=list)
    database = models.CharField(
        max_length=20,
        blank=True,
        help_text='"sqlite", "postgresql", or "": none, or SQLite for a site with models.',
    )
    probe = models.JSONField(null=True, blank=True, help_text="{path, after, label} or empty")
    site_models = models.TextField(default="", blank=True, help_text="The site's models.py.")
    predict = models.JSONField(default=list, help_text="What a learner predicts: wall, probe, "
                               "queries, tally.")  # fmt: skip
    tally = models.JSONField(null=True, blank=True, help_text="{path, label} or empty")
    is_active = models.BooleanField(default=True)
    version = models.ForeignKey(ContentVersion, on_delete=models.PROTECT)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    @property
    def predictions(self) -> list[str]:
        from codedrill.lab.experiments import predictions

        return predictions(self.predict, self.probe)

    @property
    def database_kind(self) -> str | None:
        """The database each run gets: "sqlite", "postgresql" or None, as the engine decides."""
        from codedrill.lab.engine import Site

        site = Site(self.site, database=self.database or False, models=self.site_models)
        return site.database_kind


class Project(models.Model):
    """A pattern's project as published: its steps, the learner's starter files, the tests
    (hidden ones never leave the server but for the sandbox), and the reference solution."""

    uuid = models.UUIDField(unique=True)
    pattern = models.ForeignKey(Pattern, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(max_length=200)
    goal = models.TextField(help_text="Sanitized HTML.")
    site = models.CharField(max_length=100, help_text="The starter file holding urlpatterns.")
    models_file = models.CharField(
        max_length=100, blank=True, help_text="The starter file holding the site's models."
    )
    seed = models.TextField(blank=True, help_text="Python that writes the rows tests read.")
    database = models.CharField(
        max_length=20,
        blank=True,
        help_text='"sqlite", "postgresql", or "": none, or SQLite for a site with models.',
    )
    steps = models.JSONField(
        help_text="[{slug, title, tests, hidden_tests, hint, explanation}]; hint and "
        "explanation as sanitized HTML."
    )
    limits = models.JSONField(help_text="{wall_seconds, memory_mb, output_kb}")
    starter = models.JSONField(help_text="{file name: text}")
    solution = models.JSONField(help_text="{file name: text}")
    visible_tests = models.JSONField(help_text="{file name: source}")
    hidden_tests = models.JSONField(help_text="{file name: source}; never shown to learners.")
    is_active = models.BooleanField(default=True)
    version = models.ForeignKey(ContentVersion, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return self.title
