from django.contrib import admin

from codedrill.lti.models import Deployment, Grade, Identity, Placement, Platform


class DeploymentInline(admin.TabularInline):
    model = Deployment
    extra = 1


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("name", "issuer", "client_id", "is_active")
    search_fields = ("name", "issuer", "client_id")
    inlines = [DeploymentInline]


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = ("subject", "platform", "deployment_id", "learner")
    list_filter = ("platform",)
    search_fields = ("subject", "learner__username", "learner__email")
    raw_id_fields = ("learner",)


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ("pattern", "mode", "context_title", "platform")
    list_filter = ("platform", "mode")
    search_fields = ("context_title", "context_id", "resource_link_id")


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ("identity", "placement", "right", "total", "sent", "updated")
    list_filter = ("sent", "placement__platform")
    search_fields = ("identity__subject", "error")
    raw_id_fields = ("identity", "placement")
