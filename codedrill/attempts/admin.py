from django.contrib import admin

from codedrill.attempts.models import (
    Badge,
    Challenge,
    ChallengeProblem,
    TestAttempt,
    TestQuestion,
)


class ReadOnly:
    """Attempts and badges are records of what a learner did: operators look, never edit.
    Deleting stays allowed, so deleting a learner in the admin can take their attempts along."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ChallengeProblemInline(ReadOnly, admin.TabularInline):
    model = ChallengeProblem
    fields = ("position", "version", "shown_at", "deadline", "answers", "correct", "hint_at")
    extra = 0


@admin.register(Challenge)
class ChallengeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "learner", "pattern", "started_at")
    list_filter = ("pattern",)
    search_fields = ("learner__username",)
    inlines = [ChallengeProblemInline]


class TestQuestionInline(ReadOnly, admin.TabularInline):
    model = TestQuestion
    fields = ("position", "version", "answer", "answered_at", "correct")
    extra = 0


@admin.register(TestAttempt)
class TestAttemptAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "learner", "pattern", "started_at", "finished_at", "score")
    list_filter = ("pattern",)
    search_fields = ("learner__username",)
    inlines = [TestQuestionInline]


@admin.register(Badge)
class BadgeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("pattern", "learner", "earned_at")
    list_filter = ("pattern",)
    search_fields = ("learner__username",)
