from django.urls import path

from codedrill.attempts import views

urlpatterns = [
    path("patterns/<slug:slug>/challenge/", views.challenge_intro, name="challenge"),
    path("challenges/<int:pk>/<int:n>/", views.challenge_problem, name="challenge-problem"),
    path("challenges/<int:pk>/<int:n>/answer", views.challenge_answer, name="challenge-answer"),
    path("challenges/<int:pk>/<int:n>/hint", views.challenge_hint, name="challenge-hint"),
    path("challenges/<int:pk>/results/", views.challenge_results, name="challenge-results"),
    path("badges/", views.badge_list, name="badges"),
    path("badges/verify/", views.badge_verify, name="badge-verify"),
    path("badges/issuer-key.json", views.badge_issuer_key, name="badge-issuer-key"),
    path("badges/<uuid:uuid>/credential", views.badge_credential, name="badge-credential"),
    path("patterns/<slug:slug>/test/", views.test_intro, name="test"),
    path("tests/<int:pk>/<int:n>/", views.test_question, name="test-question"),
    path("tests/<int:pk>/<int:n>/answer", views.test_answer, name="test-answer"),
    path("tests/<int:pk>/results/", views.test_results, name="test-results"),
    path("tests/<int:pk>/finish", views.test_finish, name="test-finish"),
]
