from django.contrib import admin

from codedrill.review.models import ReviewItem


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    """Read-only: the schedule is the learner's, set by their ratings."""

    list_display = ("learner", "kind", "target", "due", "reps", "last_rating", "updated")
    list_filter = ("last_rating",)
    list_select_related = ("learner", "flashcard", "question")
    search_fields = ("learner__username",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
