from django.urls import path

from codedrill.learning import views

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("patterns/<slug:slug>/", views.pattern_page, name="pattern"),
    path("patterns/<slug:slug>/<slug:mode>/<int:n>/", views.drill, name="drill"),
    path("patterns/<slug:slug>/<slug:mode>/<int:n>/hint", views.drill_hint, name="drill-hint"),
    path("patterns/<slug:slug>/<slug:mode>/", views.mode_page, name="mode"),
    path("patterns/<slug:slug>/<slug:mode>/done", views.mode_page_done, name="mode-done"),
]
