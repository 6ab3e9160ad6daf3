from django.contrib import admin
from django.urls import include, path

from codedrill import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("codedrill.api.urls", "api"))),
    path("", include("codedrill.lti.urls")),
    path("", include("codedrill.accounts.urls")),
    # Mode-specific routes come before learning's generic /patterns/<slug>/<mode>/.
    path("", include("codedrill.attempts.urls")),
    path("", include("codedrill.review.urls")),
    path("", include("codedrill.lab.urls")),
    path("", include("codedrill.projects.urls")),
    path("", include("codedrill.learning.urls")),
]
