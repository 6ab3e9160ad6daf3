from django.urls import path

from codedrill.learning import views, visualize

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("me/", views.my_learning, name="me"),
    path("patterns/<slug:slug>/", views.pattern_page, name="pattern"),
    # Visualize has routes of its own, ahead of the generic mode routes below.
    path("patterns/<slug:slug>/visualize/", visualize.visualize, name="visualize"),
    path(
        "patterns/<slug:slug>/visualize/<slug:trace>/",
        visualize.trace_page,
        name="visualize-trace",
    ),
    path(
        "patterns/<slug:slug>/visualize/<slug:trace>/finish",
        visualize.trace_finish,
        name="visualize-finish",
    ),
    path(
        "patterns/<slug:slug>/visualize/<slug:trace>/quiz/<str:item>",
        visualize.trace_answer,
        name="visualize-answer",
    ),
    path("patterns/<slug:slug>/<slug:mode>/<int:n>/", views.drill, name="drill"),
    path("patterns/<slug:slug>/<slug:mode>/<int:n>/hint", views.drill_hint, name="drill-hint"),
    path("patterns/<slug:slug>/<slug:mode>/", views.mode_page, name="mode"),
    path("patterns/<slug:slug>/<slug:mode>/done", views.mode_page_done, name="mode-done"),
]
