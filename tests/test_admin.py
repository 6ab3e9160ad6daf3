"""Operators see published content in the admin, read-only: the files stay the source."""

from django.conf import settings
from django.urls import reverse

from codedrill.accounts.models import LoginFailure
from codedrill.content.models import Experiment, Flashcard, ModePage, Question, Trace


def test_operators_browse_published_content_without_editing_it(pattern, admin_client):
    question = Question.objects.first()
    for model in (Question, Trace, Flashcard, Experiment, ModePage):
        meta = model._meta
        listing = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert listing.status_code == 200
        assert (
            admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code
            == 403
        )
    page = admin_client.get(reverse("admin:content_question_change", args=[question.pk]))
    assert page.status_code == 200 and question.slug in page.content.decode()
    response = admin_client.post(
        reverse("admin:content_question_delete", args=[question.pk]), {"post": "yes"}
    )
    assert response.status_code == 403 and Question.objects.filter(pk=question.pk).exists()


def test_the_admin_login_is_rate_limited_like_the_login_page(client, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.com", "right-horse-7")
    for _ in range(25):
        response = client.post("/admin/login/", {"username": "root", "password": "wrong"})
        assert response.status_code == 200
    assert LoginFailure.objects.filter(username="root").count() >= settings.LOGIN_FAILURE_LIMIT
    response = client.post("/admin/login/", {"username": "root", "password": "right-horse-7"})
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to log in


def test_failures_on_either_login_count_together(client, learner, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    client.post("/admin/login/", {"username": "ada", "password": "wrong"})
    client.post("/login/", {"username": "ada", "password": "wrong"})
    response = client.post("/login/", {"username": "ada", "password": "correct-horse-9"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
