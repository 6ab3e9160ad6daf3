"""Sessions on codedrill's own model (accounts.Session): each read with its user in one query,
and every way Django's authentication ends or keeps a session still holds."""

from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session as DjangoSession
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from codedrill.accounts.models import Session, User

BACKEND = "django.contrib.auth.backends.ModelBackend"


class NobodyBackend(ModelBackend):
    """A backend whose `get_user` is its own: the session's joined user must not bypass it."""

    def get_user(self, user_id):
        return None


def whoami(client: Client) -> str:
    """The username the site sees for this client ("" for nobody), from a page's context."""
    user = client.get("/").context["user"]
    return user.username if user.is_authenticated else ""


def test_a_signed_in_request_reads_the_session_and_its_user_in_one_query(
    client, learner, django_assert_num_queries
):
    client.force_login(learner)
    client.get("/api/v1/csrf")  # the day's first visit renews the session
    with django_assert_num_queries(1):
        client.get("/api/v1/csrf")
    assert Session.objects.get().user == learner


def test_a_guest_is_read_with_the_session_too(client, pattern, django_assert_num_queries):
    client.post("/patterns/async-django/learn/done")
    guest = User.objects.get(is_guest=True)
    assert Session.objects.get().user == guest
    client.get("/api/v1/csrf")  # the day's first visit as a guest renews the session
    with django_assert_num_queries(1):
        assert client.get("/api/v1/csrf").status_code == 200


def test_logging_in_from_a_guest_moves_the_session_to_the_account(client, pattern, learner):
    client.post("/patterns/async-django/learn/done")
    guest_key = client.cookies["sessionid"].value
    client.post("/login/", {"username": "ada", "password": "correct-horse-9"})
    assert whoami(client) == "ada"
    session = Session.objects.get()  # the guest's is gone with the guest
    assert session.session_key != guest_key and session.user == learner
    client.post("/logout/")
    assert whoami(client) == "" and not Session.objects.exists()


def test_a_password_change_ends_the_other_sessions(learner):
    here, there = Client(), Client()
    here.force_login(learner)
    there.force_login(learner)
    learner.set_password("new-horse-10")
    learner.save()
    assert whoami(there) == ""
    assert Session.objects.filter(session_key=there.cookies["sessionid"].value).count() == 0


def test_a_session_signed_with_a_retired_secret_is_kept_and_renewed(client, learner, settings):
    client.force_login(learner)
    old_key = client.cookies["sessionid"].value
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-" + "x" * 40
    assert whoami(client) == "ada"
    assert client.cookies["sessionid"].value != old_key  # Django cycles the key on a fallback
    assert whoami(client) == "ada"


def test_a_deactivated_learner_is_signed_out(client, learner):
    client.force_login(learner)
    User.objects.filter(pk=learner.pk).update(is_active=False)
    assert whoami(client) == ""


def test_a_session_of_a_backend_no_longer_configured_is_signed_out(client, learner, settings):
    client.force_login(learner, backend=BACKEND)
    settings.AUTHENTICATION_BACKENDS = ["codedrill.accounts.backends.RateLimitedBackend"]
    assert whoami(client) == ""


def test_a_backend_with_its_own_get_user_is_asked(client, learner, settings):
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        __name__ + ".NobodyBackend",
    ]
    client.force_login(learner, backend=__name__ + ".NobodyBackend")
    assert whoami(client) == ""


def test_deleting_an_account_ends_its_sessions_everywhere(pattern, learner):
    here, there = Client(), Client()
    here.force_login(learner)
    there.force_login(learner)
    assert here.post("/account/delete/", {"password": "correct-horse-9"}).status_code == 302
    assert not Session.objects.exists()
    assert whoami(there) == ""


def test_a_session_whose_data_names_another_user_is_not_taken_as_its_row(client, learner):
    """The fast path takes the joined user only when it is the session's own user id."""
    other = User.objects.create_user("bob")
    User.objects.filter(pk=other.pk).update(password=learner.password)  # the same auth hash
    client.force_login(learner)
    Session.objects.update(user=other)  # out of step with the data (never saved like this)
    assert whoami(client) == "ada"


@pytest.mark.django_db(transaction=True)
def test_sessions_from_before_the_upgrade_survive_it():
    """Migration accounts 0003 moves Django's sessions, with their users, to accounts.Session:
    a guest's progress is reached only through the guest's session."""
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0001_initial")])
    guest = User.create_guest()
    gone = User(pk=10**9, username="gone", password="!")  # deleted since: no row

    def django_session(user, expiry: int):
        store = DjangoStore()  # what SESSION_ENGINE was before
        store.update(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: BACKEND,
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
        )
        store.set_expiry(expiry)
        store.save()
        return store.session_key

    live = django_session(guest, 3600)
    orphan = django_session(gone, 3600)
    expired = django_session(guest, 3600)
    DjangoSession.objects.filter(pk=expired).update(expire_date=timezone.now() - timedelta(1))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("accounts"))

    assert not DjangoSession.objects.exists()
    assert dict(Session.objects.values_list("session_key", "user")) == {
        live: guest.pk,
        orphan: None,
    }
    client = Client()
    client.cookies["sessionid"] = live
    assert whoami(client) == guest.username

    executor = MigrationExecutor(connection)  # and back, for a downgrade
    executor.migrate([("accounts", "0002_session")])
    assert set(DjangoSession.objects.values_list("pk", flat=True)) == {live, orphan}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("accounts"))
    User.objects.filter(pk=guest.pk).update(date_joined=timezone.now() - timedelta(days=30))
    call_command("clearguests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.filter(pk=guest.pk).exists()
