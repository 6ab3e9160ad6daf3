from django.contrib import admin

from codedrill.progress.models import ConceptProgress, ModeProgress


@admin.register(ModeProgress)
class ModeProgressAdmin(admin.ModelAdmin):
    list_display = ("learner", "pattern", "mode", "percent", "best_right", "best_total", "updated")
    list_filter = ("mode", "pattern")
    search_fields = ("learner__username",)


@admin.register(ConceptProgress)
class ConceptProgressAdmin(admin.ModelAdmin):
    list_display = ("learner", "pattern", "concept", "right", "missed", "updated")
    list_filter = ("pattern",)
    search_fields = ("learner__username", "concept")
