"""Learning platforms (LMSs) registered with codedrill as an LTI 1.3 tool, the learners they
launch, the course items teachers placed, and the grades sent back to those items."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from codedrill.content.models import Pattern

# The modes a teacher can place as a course item, and whether the platform gets a grade.
PLACEABLE_MODES = {"test": True, "challenge": True, "project": True, "practice": False}


class Platform(models.Model):
    """One registration of codedrill in an LMS: the values its admin reads off the LMS's
    tool configuration page (README, "Use codedrill from your LMS")."""

    name = models.CharField(max_length=200)
    issuer = models.URLField(
        help_text="The platform's issuer (iss), e.g. https://moodle.example.edu"
    )
    client_id = models.CharField(max_length=255, help_text="The client ID the LMS gave codedrill.")
    auth_login_url = models.URLField(
        "OIDC authentication URL", help_text="Where codedrill sends the browser to log in."
    )
    auth_token_url = models.URLField(
        "access token URL", help_text="Where codedrill asks for tokens to send grades."
    )
    key_set_url = models.URLField("public keyset URL", help_text="The platform's JWKS.")
    auth_audience = models.CharField(
        max_length=255, blank=True, help_text="Only if the LMS asks for one (Brightspace)."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("issuer", "client_id", name="one_platform_per_client")
        ]

    def __str__(self) -> str:
        return self.name


class Deployment(models.Model):
    """A deployment ID the platform sends in its launches; launches from others are refused."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="deployments")
    deployment_id = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint("platform", "deployment_id", name="one_deployment_id")
        ]

    def __str__(self) -> str:
        return f"{self.platform} / {self.deployment_id}"


class Identity(models.Model):
    """A person the platform launched, as the codedrill learner they became."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    deployment_id = models.CharField(max_length=255)
    subject = models.CharField(max_length=255, help_text="The platform's user id (sub).")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_identities"
    )

    class Meta:
        verbose_name_plural = "identities"
        constraints = [
            models.UniqueConstraint(
                "platform", "deployment_id", "subject", name="one_learner_per_lti_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.platform}"


class Placement(models.Model):
    """A course item: one pattern's mode placed in a course, with the gradebook column (line
    item) its grades go to."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="placements")
    deployment_id = models.CharField(max_length=255)
    resource_link_id = models.CharField(max_length=255)
    context_id = models.CharField(max_length=255, help_text="The course.")
    context_title = models.CharField(max_length=255, blank=True)
    pattern = models.ForeignKey(Pattern, on_delete=models.PROTECT, related_name="+")
    mode = models.SlugField()
    # The launch's Assignment and Grade Services claim: line item URL and granted scopes.
    ags = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "platform", "deployment_id", "resource_link_id", name="one_placement_per_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pattern.slug}/{self.mode} in {self.context_title or self.context_id}"

    @property
    def graded(self) -> bool:
        return PLACEABLE_MODES.get(self.mode, False) and bool(self.ags and self.ags.get("lineitem"))


class Grade(models.Model):
    """A learner's seat on a placement, made at their first launch of it: their best result
    there, and whether the platform has it. A result is sent once, and again only when a
    later one is better (`improve`)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="grades")
    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="grades")
    right = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    sent = models.BooleanField(default=False, help_text="The platform accepted this result.")
    error = models.TextField(blank=True, help_text="Why the last sending failed.")
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("placement", "identity", name="one_grade_per_placement")
        ]

    def __str__(self) -> str:
        return f"{self.right}/{self.total} for {self.identity} on {self.placement}"

    @property
    def percent(self) -> int | None:
        return None if not self.total else 100 * self.right // self.total

    def improve(self, right: int, total: int) -> bool:
        """Keep a finished attempt's result if it is the first or better than the best (as a
        share); True when it is, and so is to be sent."""
        with transaction.atomic():
            grade = Grade.objects.select_for_update().get(pk=self.pk)
            if grade.total and right * grade.total <= grade.right * total:
                return False
            grade.right, grade.total = right, total
            grade.sent, grade.error, grade.updated = False, "", timezone.now()
            grade.save(update_fields=["right", "total", "sent", "error", "updated"])
        return True
