from django.contrib import admin

from codedrill.content.models import (
    ContentVersion,
    Experiment,
    Flashcard,
    ModePage,
    Pattern,
    Question,
    QuestionVersion,
    Trace,
)


@admin.register(ContentVersion)
class ContentVersionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "source", "summary")


@admin.register(Pattern)
class PatternAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "track", "framework", "is_active", "version")
    list_filter = ("is_active", "track")
    readonly_fields = ("uuid", "version")


class PublishedOnly:
    """Content comes from files through `codedrill publish`; the admin shows it, never edits it,
    so the database cannot drift from the folder that proves it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class QuestionVersionInline(PublishedOnly, admin.TabularInline):
    model = QuestionVersion
    fields = ("content_version", "kind", "difficulty", "category", "pools", "digest")
    extra = 0


@admin.register(ModePage)
class ModePageAdmin(PublishedOnly, admin.ModelAdmin):
    list_display = ("__str__", "mode")
    list_filter = ("mode",)


@admin.register(Question)
class QuestionAdmin(PublishedOnly, admin.ModelAdmin):
    list_display = ("slug", "pattern", "is_active", "current")
    list_filter = ("is_active", "pattern")
    search_fields = ("slug", "uuid")
    inlines = [QuestionVersionInline]


@admin.register(Trace, Flashcard, Experiment)
class PublishedItemAdmin(PublishedOnly, admin.ModelAdmin):
    list_display = ("__str__", "pattern", "is_active", "version")
    list_filter = ("is_active", "pattern")
