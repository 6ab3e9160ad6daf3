from django.urls import path

from codedrill.lab import views

urlpatterns = [
    path("patterns/<slug:slug>/lab/", views.lab, name="lab"),
    path(
        "patterns/<slug:slug>/lab/<slug:experiment>/",
        views.experiment_page,
        name="lab-experiment",
    ),
    path("lab/runs/<int:run_id>/", views.run_page, name="lab-run"),
    path("lab/runs/<int:run_id>/part", views.run_part, name="lab-run-part"),
    path("lab/compare/", views.compare, name="lab-compare"),
]
