from django.urls import path

from codedrill.learning import views

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("patterns/<slug:slug>/", views.pattern_page, name="pattern"),
    path("patterns/<slug:slug>/<slug:mode>/", views.mode_page, name="mode"),
    path("patterns/<slug:slug>/<slug:mode>/done", views.mode_page_done, name="mode-done"),
]
