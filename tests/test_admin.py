"""Operators see published content in the admin, read-only: the files stay the source."""

from django.urls import reverse

from codedrill.content.models import Experiment, Flashcard, Question, Trace


def test_operators_browse_published_content_without_editing_it(pattern, admin_client):
    question = Question.objects.first()
    for model in (Question, Trace, Flashcard, Experiment):
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
