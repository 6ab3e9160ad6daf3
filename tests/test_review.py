"""Review mode, the spaced-review queue (FSRS) and its API."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from codedrill.accounts.models import User
from codedrill.content.models import Flashcard, Pattern
from codedrill.quiz.answers import plain
from codedrill.review import queue
from codedrill.review.models import ReviewItem

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("published_for_module")]

PAGE = "/patterns/async-django/review/"
API = "/api/v1/review"


def rate(client, card, rating, after=""):
    return client.post(f"/review/cards/{card.uuid}/rate", {"rating": rating, "next": after})


def overdue(item: ReviewItem) -> None:
    ReviewItem.objects.filter(pk=item.pk).update(due=timezone.now() - timedelta(minutes=1))


def test_the_review_page_has_the_cheat_sheet_every_flashcard_and_the_quick_quiz(client, pattern):
    response = client.get(PAGE)
    html = response.content.decode()
    assert len(response.content) < 60_000
    assert 'aria-label="Cheat sheet"' in html and 'href="#the-async-orm"' in html
    cards = list(pattern.cards.all())
    assert html.count('<details class="flashcard"') == len(cards) == 19
    # The front is the <summary> itself (no <p> in it); the back waits behind it.
    assert (
        "<summary>What kind of work does an <code>async def</code> view speed up?</summary>" in html
    )
    assert html.count('name="rating" value="easy"') == 19
    assert 'href="/patterns/async-django/review/1/"' in html
    assert 'href="/review/">Review queue</a>' in html


def test_ratings_schedule_cards_with_fsrs_again_soon_easy_later(client, pattern):
    first, second, third = pattern.cards.all()[:3]
    response = rate(client, first, "again", f"{PAGE}#card-{second.uuid}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{PAGE}#card-{second.uuid}"
    rate(client, second, "good")
    rate(client, third, "easy")
    learner = User.objects.get()
    due = {i.flashcard: i.due - timezone.now() for i in ReviewItem.objects.filter(learner=learner)}
    assert timedelta(0) < due[first] <= timedelta(minutes=2)
    assert due[first] < due[second] <= timedelta(minutes=15)
    assert due[third] >= timedelta(days=2)

    rate(client, first, "good")
    item = ReviewItem.objects.get(flashcard=first)
    assert item.reps == 2 and item.last_rating == "good" and item.fsrs["stability"] > 0
    html = client.get(PAGE).content.decode()
    assert "Rated Easy · next review in" in html
    assert "Card rated Good: next review in" in html  # the message after the last rating


def test_each_card_on_the_page_rates_with_this_visitors_csrf_token(pattern):
    """The cards are rendered once for every learner (views.CSRF_SLOT): each form must still
    carry the token of the visitor who asked for the page."""
    tokens = []
    for _visitor in range(2):
        client = Client(enforce_csrf_checks=True)
        html = client.get(PAGE).content.decode()
        forms = re.findall(r'action="(/review/cards/[^"]+/rate)".*?name="csrfmiddlewaretoken" '
                           r'value="([^"]+)"', html, re.S)  # fmt: skip
        assert len(forms) == 19 and "\x00" not in html
        action, token = forms[-1]
        rated = client.post(action, {"rating": "good", "csrfmiddlewaretoken": token})
        assert rated.status_code == 302
        tokens.append(client.cookies["csrftoken"].value)
    assert tokens[0] != tokens[1] and ReviewItem.objects.count() == 2


def test_rating_refuses_bad_ratings_unknown_cards_and_foreign_redirects(client, pattern):
    card = pattern.cards.first()
    response = rate(client, card, "perfect")
    assert response.status_code == 400 and b"Again, Hard, Good or Easy" in response.content
    assert client.post("/review/cards/00000000-0000-0000-0000-000000000000/rate",
                       {"rating": "good"}).status_code == 404  # fmt: skip
    assert rate(client, card, "good", "https://evil.example/").headers["Location"] == "/review/"
    assert client.get(f"/review/cards/{card.uuid}/rate").status_code == 405
    question = pattern.questions.first()
    response = client.post(f"/review/questions/{question.uuid}/rate", {"rating": "good"})
    assert response.status_code == 404  # not missed, so not in the queue


def test_add_missed_queues_a_question_once_due_now(pattern, learner):
    question = pattern.questions.first()
    first = queue.add_missed(learner, question)
    assert queue.add_missed(learner, question).pk == first.pk
    assert list(queue.due(learner)) == [first]

    queue.rate(learner, question, "easy")
    assert not queue.due(learner).exists()
    assert queue.next_due(learner).due > timezone.now() + timedelta(days=1)
    # Missed again: the same item, due now again.
    queue.add_missed(learner, question)
    assert ReviewItem.objects.filter(learner=learner).count() == 1
    assert list(queue.due(learner, pattern)) == [first]
    with pytest.raises(queue.BadRating):
        queue.rate(learner, question, "meh")


def test_the_queue_page_lists_what_is_due_without_keys(client, pattern, learner):
    client.force_login(learner)
    assert "Nothing is due for review." in client.get("/review/").content.decode()

    card = pattern.cards.first()
    question = pattern.pool("test")[0]
    overdue(queue.rate(learner, card, "again"))
    queue.add_missed(learner, question)
    queue.rate(learner, pattern.cards.last(), "easy")  # not due: not listed

    html = client.get("/review/").content.decode()
    assert "2 due now: 1 flashcard and 1 missed question." in plain(html)
    assert f'id="card-{card.uuid}"' in html
    assert f'id="card-{pattern.cards.last().uuid}"' not in html
    assert question.current.stem in html
    assert 'href="/patterns/async-django/practice/"' in html
    version = question.current
    for secret in [version.hint, *version.solution, *(m["html"] for m in version.mistakes)]:
        assert plain(secret) not in plain(html)

    response = client.post(
        f"/review/questions/{question.uuid}/rate", {"rating": "good", "next": "/review/"}
    )
    assert response.headers["Location"] == "/review/"
    assert "1 due now: 1 flashcard and 0 missed questions." in plain(
        client.get("/review/").content.decode()
    )


def test_the_api_lists_the_queue_and_rates_cards(client, pattern, learner):
    assert client.get(f"{API}/queue").json() == {"due": 0, "items": []}
    card = pattern.cards.first()
    response = client.post(
        f"{API}/cards/{card.uuid}/rate", {"rating": "hard"}, content_type="application/json"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["kind"] == "card" and data["reps"] == 1 and data["last_rating"] == "hard"
    guest = User.objects.get(is_guest=True)

    overdue(ReviewItem.objects.get(learner=guest))
    question = pattern.pool("test")[0]
    queue.add_missed(guest, question)
    queue.add_missed(learner, pattern.pool("test")[1])  # someone else's
    data = client.get(f"{API}/queue", {"pattern": "async-django"}).json()
    assert data["due"] == 2
    assert [i["kind"] for i in data["items"]] == ["card", "question"]
    assert data["items"][0]["front"] == card.front
    missed = data["items"][1]
    assert missed["stem"] == question.current.stem and "key" not in missed
    assert missed["practise"] == [
        "/patterns/async-django/practice/",
        "/patterns/async-django/review/",
    ]
    assert client.get(f"{API}/queue", {"pattern": "nope"}).status_code == 404

    response = client.post(
        f"{API}/questions/{question.uuid}/rate", {"rating": "easy"}, content_type="application/json"
    )
    assert response.json()["kind"] == "question"
    assert client.get(f"{API}/queue").json()["due"] == 1


def test_the_api_refuses_bad_ratings_and_writes_without_csrf(pattern):
    client = Client(enforce_csrf_checks=True)
    client.get(PAGE)  # sets the csrftoken cookie, as a browser would have it
    url = f"{API}/cards/{pattern.cards.first().uuid}/rate"
    body = json.dumps({"rating": "good"})
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]

    def post(url, data):
        # Read the token each time: the first write makes a guest, and logging in renews it.
        token = {"X-CSRFToken": client.cookies["csrftoken"].value}
        return client.post(url, data, content_type="application/json", headers=token)

    for bad in ({"rating": "perfect"}, {}, "not json"):
        response = post(url, bad if isinstance(bad, str) else json.dumps(bad))
        assert response.status_code == 400, bad
        assert response.json()["detail"]
    response = post(f"{API}/cards/00000000-0000-0000-0000-000000000000/rate", body)
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert post(f"{API}/cards/not-a-uuid/rate", body).status_code == 400
    assert not ReviewItem.objects.exists()


def test_a_guests_queue_joins_the_account_keeping_the_longer_history(pattern, learner):
    x, y, z = pattern.cards.all()[:3]
    question = pattern.questions.first()
    guest = User.create_guest()
    queue.rate(guest, x, "good")
    queue.rate(guest, x, "good")
    queue.rate(guest, y, "again")
    queue.add_missed(guest, question)
    queue.rate(learner, x, "again")
    queue.rate(learner, y, "easy")
    queue.rate(learner, y, "easy")
    queue.rate(learner, z, "hard")

    learner.merge_guest(guest)

    items = {i.target: i for i in ReviewItem.objects.filter(learner=learner)}
    assert set(items) == {x, y, z, question}
    assert (items[x].reps, items[x].last_rating) == (2, "good")  # the guest's, longer
    assert (items[y].reps, items[y].last_rating) == (2, "easy")  # the account's, longer
    assert ReviewItem.objects.count() == 4
    exported = learner.export_data()["review_queue"]
    assert {(row["kind"], row["id"]) for row in exported} == {
        ("card", str(x.uuid)),
        ("card", str(y.uuid)),
        ("card", str(z.uuid)),
        ("question", str(question.uuid)),
    }


def test_only_live_flashcards_can_be_rated(client, pattern):
    retired, other = pattern.cards.all()[:2]
    Flashcard.objects.filter(pk=retired.pk).update(is_active=False)
    body = {"rating": "good"}
    url = f"{API}/cards/{{}}/rate"
    response = client.post(url.format(retired.uuid), body, content_type="application/json")
    assert response.status_code == 404
    Pattern.objects.filter(pk=pattern.pk).update(is_active=False)  # a retired pattern's card
    response = client.post(url.format(other.uuid), body, content_type="application/json")
    assert response.status_code == 404
    assert not ReviewItem.objects.exists()


def test_a_missed_question_is_answered_again_only_from_ones_own_queue(
    client, pattern, learner, other_learner
):
    mine, theirs = pattern.pool("test")[:2]
    queue.add_missed(learner, mine)
    queue.add_missed(other_learner, theirs)
    client.force_login(learner)
    url = f"{API}/questions/{{}}/check"
    answer = {"answer": theirs.current.key}
    response = client.post(url.format(theirs.uuid), answer, content_type="application/json")
    assert response.status_code == 404
    answer = {"answer": mine.current.key}
    response = client.post(url.format(mine.uuid), answer, content_type="application/json")
    assert response.json()["correct"] is True


def test_the_queue_mixes_patterns_soonest_first_and_names_each_cards_pattern(
    client, pattern, learner, two_tracks
):
    first, last = pattern.cards.first(), pattern.cards.last()
    example = two_tracks.cards.first()
    for card, days in ((first, 3), (example, 2), (last, 1)):  # due 3, 2 and 1 days ago
        item = queue.rate(learner, card, "again")
        ReviewItem.objects.filter(pk=item.pk).update(due=timezone.now() - timedelta(days=days))
    client.force_login(learner)
    html = client.get("/review/").content.decode()
    places = [html.index(f'id="card-{card.uuid}"') for card in (first, example, last)]
    assert places == sorted(places)  # one list, soonest due first, across patterns
    labels = re.findall(r'<h2 class="queue-label"><span class="tag">(.*?)</span>', html)
    assert labels == [pattern.title, two_tracks.title, pattern.title]
