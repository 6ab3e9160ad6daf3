from django.contrib import admin
from django.urls import include, path

from codedrill import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("codedrill.accounts.urls")),
    path("", include("codedrill.learning.urls")),
]
