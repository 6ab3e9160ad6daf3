import re
from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from codedrill.accounts.models import Session, User
from codedrill.progress.models import ModeProgress


def age(user: User, days: float) -> None:
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days))


def test_an_active_guests_session_is_renewed_once_a_day(client, pattern):
    client.post("/patterns/async-django/learn/done")
    session = client.session
    session["seen"] = "2000-01-01"
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(days=1))
    client.get("/")
    expires = Session.objects.get().expire_date
    assert expires > timezone.now() + timedelta(days=89)


def test_clearguests_deletes_only_guests_without_a_live_session(client, pattern, learner):
    client.post("/patterns/async-django/learn/done")  # a guest with a live session
    kept = User.objects.get(is_guest=True)
    age(kept, 30)
    orphan = User.create_guest()
    ModeProgress.advance(orphan, pattern, "learn", 100)
    age(orphan, 30)
    newborn = User.create_guest()  # its session may not be committed yet
    age(learner, 30)

    call_command("clearguests", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert set(User.objects.values_list("pk", flat=True)) == {kept.pk, newborn.pk, learner.pk}
    assert not ModeProgress.objects.filter(learner_id=orphan.pk).exists()


def test_clearguests_removes_expired_sessions_and_their_guests(client, pattern):
    client.post("/patterns/async-django/learn/done")
    guest = User.objects.get(is_guest=True)
    age(guest, 100)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    call_command("clearguests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not User.objects.exists() and not Session.objects.exists()


def test_becoming_a_guest_keeps_the_pages_other_forms_valid(pattern):
    """A reading page posts "read" in the background; its Done form, sent next with the token
    the page was rendered with, must still pass (a renewed token refused it: "form expired")."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/patterns/async-django/learn/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    first = browser.post("/patterns/async-django/learn/done", {"csrfmiddlewaretoken": token})
    assert first.status_code == 302 and User.objects.filter(is_guest=True).count() == 1
    second = browser.post("/patterns/async-django/why/done", {"csrfmiddlewaretoken": token})
    assert second.status_code == 302
    assert User.objects.filter(is_guest=True).count() == 1  # the same guest, not a new one
