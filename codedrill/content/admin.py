from django.contrib import admin

from codedrill.content.models import ContentVersion, ModePage, Pattern


@admin.register(ContentVersion)
class ContentVersionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "source", "summary")


@admin.register(Pattern)
class PatternAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "track", "framework", "is_active", "version")
    list_filter = ("is_active", "track")
    readonly_fields = ("uuid", "version")


@admin.register(ModePage)
class ModePageAdmin(admin.ModelAdmin):
    list_display = ("__str__", "mode")
    list_filter = ("mode",)
