from django.contrib import admin

from codedrill.learning.models import ModeProgress


@admin.register(ModeProgress)
class ModeProgressAdmin(admin.ModelAdmin):
    list_display = ("learner", "pattern", "mode", "percent", "updated")
    list_filter = ("mode", "pattern")
    search_fields = ("learner__username",)
