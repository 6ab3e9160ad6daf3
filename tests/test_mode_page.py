import pytest

from codedrill.accounts.models import User
from codedrill.content.markdown import render
from codedrill.progress.models import ModeProgress


def test_it_renders_markdown_with_contents_and_highlighted_code(client, pattern):
    response = client.get("/patterns/async-django/learn/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-label="Contents"' in html
    assert 'href="#when-async-helps"' in html
    assert '<div class="highlight">' in html
    assert '<span class="k">async</span>' in html


def test_it_answers_404_for_a_mode_without_a_page(client, pattern):
    pattern.experiments.update(is_active=False)  # a pattern whose Lab has no experiment yet
    assert client.get("/patterns/async-django/lab/").status_code == 404
    assert client.post("/patterns/async-django/lab/done").status_code == 404
    assert client.get("/patterns/async-django/no-such-mode/").status_code == 404


def test_reading_to_the_end_makes_a_guest_and_marks_the_mode_done(client, pattern):
    assert User.objects.count() == 0
    response = client.post("/patterns/async-django/learn/done")
    assert response.status_code == 302
    guest = User.objects.get()
    assert guest.is_guest
    assert ModeProgress.objects.get(learner=guest, mode="learn").percent == 100
    assert "Done" in client.get("/patterns/async-django/").content.decode()


def test_the_same_guest_is_kept_across_requests(client, pattern):
    client.post("/patterns/async-django/learn/done")
    client.post("/patterns/async-django/learn/done")
    assert User.objects.count() == 1
    assert ModeProgress.objects.count() == 1


@pytest.mark.parametrize("mode", ["visualize", "try", "practice", "challenge", "test", "lab"])
def test_only_reading_modes_can_be_marked_done(client, pattern, mode):
    assert client.post(f"/patterns/async-django/{mode}/done").status_code == 404
    assert not ModeProgress.objects.exists()
    assert not User.objects.exists()


def test_review_is_read_and_can_be_marked_done(client, pattern):
    assert client.post("/patterns/async-django/review/done").status_code == 302
    assert ModeProgress.objects.get(mode="review").percent == 100


def test_done_needs_post(client, pattern):
    assert client.get("/patterns/async-django/learn/done").status_code == 405


def test_the_renderer_strips_raw_html_that_validation_would_refuse():
    """Validation refuses raw HTML (test_content_format); the renderer strips it anyway."""
    html, _contents = render('Hi\n\n<script>alert(1)</script>\n\n<a href="javascript:x()">x</a>\n')
    assert "<script" not in html and "javascript:" not in html
