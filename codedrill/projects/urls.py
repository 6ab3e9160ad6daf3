from django.urls import path

from codedrill.projects import views

urlpatterns = [
    path("patterns/<slug:slug>/project/", views.project_page, name="project"),
    path(
        "project/submissions/<int:submission_id>/",
        views.submission_page,
        name="project-submission",
    ),
    path(
        "project/submissions/<int:submission_id>/part",
        views.submission_part,
        name="project-submission-part",
    ),
]
