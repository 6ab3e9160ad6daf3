import json
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import authenticate
from django.db.models import F
from django.test import Client
from django.utils import timezone

from codedrill.accounts.models import LoginFailure, User
from codedrill.progress.models import ModeProgress

GRACE = "tape-reel-1952"
SIGNUP = {
    "username": "grace",
    "email": "",
    "password1": "tape-reel-1952",
    "password2": "tape-reel-1952",
}


def test_signup_page_renders(client, db):
    response = client.get("/signup/")
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_a_visitor_signs_up_and_is_logged_in(client, db):
    response = client.post("/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(username="grace")
    assert not user.is_guest
    assert client.get("/account/").context["user"] == user


def test_signing_up_keeps_the_guests_progress(client, pattern):
    client.post("/patterns/async-django/learn/done")
    guest = User.objects.get(is_guest=True)
    client.post("/signup/", SIGNUP)
    member = User.objects.get(username="grace")
    assert member.pk == guest.pk and not member.is_guest
    assert ModeProgress.objects.get(learner=member, mode="learn").percent == 100
    assert User.objects.filter(is_guest=True).count() == 0
    assert "Done" in client.get("/patterns/async-django/").content.decode()


def test_signup_errors_sit_next_to_their_field(client, db):
    response = client.post("/signup/", {**SIGNUP, "password2": "something-else-2"})
    assert response.status_code == 200
    assert User.objects.count() == 0
    html = response.content.decode()
    assert 'class="field invalid"' in html and "didn’t match" in html


def test_guest_usernames_are_reserved(client, db):
    response = client.post("/signup/", {**SIGNUP, "username": "guest-1234"})
    assert "reserved" in response.content.decode()
    assert User.objects.count() == 0


@pytest.mark.parametrize("name", ["ada", "ADA", "Ada"])
def test_a_taken_name_in_any_case_is_a_form_error(client, learner, name):
    response = client.post("/signup/", {**SIGNUP, "username": name})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_logging_in_moves_guest_progress_into_the_account(client, pattern, learner):
    client.post("/patterns/async-django/learn/done")
    response = client.post("/login/", {"username": "ada", "password": "correct-horse-9"})
    assert response.status_code == 302
    assert ModeProgress.objects.get(mode="learn").learner == learner
    assert not User.objects.filter(is_guest=True).exists()


def test_login_keeps_the_better_progress_when_both_have_some(client, pattern, learner):
    ModeProgress.advance(learner, pattern, "learn", 100)
    guest = User.create_guest()
    ModeProgress.advance(guest, pattern, "learn", 40)
    learner.merge_guest(guest)
    assert ModeProgress.objects.get(learner=learner, mode="learn").percent == 100


def test_a_wrong_password_is_refused_with_a_clear_error(client, learner):
    response = client.post("/login/", {"username": "ada", "password": "nope"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_a_guest_cannot_log_in_by_name(client, db):
    guest = User.create_guest()
    response = client.post("/login/", {"username": guest.username, "password": ""})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_attempts_are_rate_limited(client, learner, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/login/", {"username": "ada", "password": "wrong"})
    response = client.post("/login/", {"username": "ada", "password": "correct-horse-9"})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.fixture
def login_from(settings, django_user_model):
    """Log in from a given address. Two failures allowed per username (so 8 per address), and
    a hasher that does not take a third of a second per try: these tests try a dozen times."""
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    django_user_model.objects.create_user("grace", password=GRACE)

    def login(address: str, username: str = "grace", password: str = GRACE) -> int:
        data = {"username": username, "password": password}
        return Client(REMOTE_ADDR=address).post("/login/", data).status_code

    return login


def jump(seconds: int) -> None:
    """The clock jumps forward: every recorded failure is that much older."""
    LoginFailure.objects.update(created=F("created") - timedelta(seconds=seconds))


def test_failures_from_one_address_block_it_for_every_username(login_from):
    for n in range(7):
        assert login_from("10.0.0.7", f"guess-{n}", "wrong") == 200  # one each: under 2
    assert login_from("10.0.0.7") == 302  # 7 from the address: under 4 × 2
    assert login_from("10.0.0.7", "guess-7", "wrong") == 429
    assert login_from("10.0.0.7") == 429  # the right password, from that address
    assert login_from("10.0.0.8") == 302  # another address is not held back


def test_the_limit_lasts_its_window_and_no_longer(login_from, settings):
    for _ in range(2):
        login_from("10.0.0.7", password="wrong")
    assert login_from("10.0.0.9") == 429  # by username, from any address
    jump(settings.LOGIN_FAILURE_WINDOW - 5)
    assert login_from("10.0.0.9") == 429
    jump(10)
    assert login_from("10.0.0.9") == 302


def test_failures_count_per_username_in_any_case_up_to_the_limit(db, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    LoginFailure.record("Ada", "10.0.0.1")
    assert not LoginFailure.blocked("ada", "10.0.0.2")  # one failure, under 2
    LoginFailure.record("ADA", "10.0.0.3")
    assert LoginFailure.blocked("aDa", "10.0.0.4")  # two, from any address
    assert not LoginFailure.blocked("bob", "10.0.0.4")
    LoginFailure.clear("AdA")
    assert not LoginFailure.objects.exists()


def test_failures_count_per_address_up_to_four_times_the_limit(db, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for n in range(7):
        LoginFailure.record(f"guess-{n}", "10.0.0.1")
    assert not LoginFailure.blocked("grace", "10.0.0.1")  # 7 from the address: under 4 × 2
    LoginFailure.record("guess-7", "10.0.0.1")
    assert LoginFailure.blocked("grace", "10.0.0.1")
    assert not LoginFailure.blocked("grace", "10.0.0.2")


def test_a_failure_counts_for_its_window_and_is_deleted_after_it(db, settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    window = settings.LOGIN_FAILURE_WINDOW
    LoginFailure.record("ada", "10.0.0.1")
    jump(window - 5)
    assert LoginFailure.blocked("ada", "10.0.0.2")
    jump(10)
    assert not LoginFailure.blocked("ada", "10.0.0.2")
    recent = timezone.now() - timedelta(seconds=window - 5)
    LoginFailure.objects.create(username="cy", address="10.0.0.3", created=recent)
    LoginFailure.record("bob", "10.0.0.4")  # a new failure deletes those past the window
    assert sorted(LoginFailure.objects.values_list("username", flat=True)) == ["bob", "cy"]


def test_a_failure_reads_as_who_from_where_and_when():
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    failure = LoginFailure(username="ada", address="10.0.0.1", created=when)
    assert str(failure) == "ada from 10.0.0.1 at 2026-01-02 03:04"


def test_a_successful_login_clears_the_failures(client, learner):
    client.post("/login/", {"username": "ada", "password": "wrong"})
    client.post("/login/", {"username": "ada", "password": "correct-horse-9"})
    assert not LoginFailure.objects.filter(username="ada").exists()


def test_login_does_not_redirect_off_site(client, learner):
    data = {"username": "ada", "password": "correct-horse-9", "next": "https://evil.example/"}
    assert client.post("/login/", data)["Location"] == "/"


def test_logout_needs_post(client, learner):
    client.force_login(learner)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_export_contains_my_data_and_not_others(client, pattern, learner, other_learner):
    ModeProgress.advance(learner, pattern, "learn", 100)
    ModeProgress.advance(other_learner, pattern, "why", 50)
    client.force_login(learner)
    response = client.get("/account/export.json")
    assert response["Content-Disposition"] == 'attachment; filename="codedrill-ada.json"'
    data = json.loads(response.content)
    assert data["account"]["username"] == "ada"
    assert data["progress"] == [
        {
            "pattern": "async-django",
            "pattern_uuid": str(pattern.uuid),
            "mode": "learn",
            "percent": 100,
            "best_right": None,
            "best_total": None,
            "updated": ModeProgress.objects.get(learner=learner).updated.isoformat(),
        }
    ]


def test_deleting_an_account_needs_the_password(client, pattern, learner):
    ModeProgress.advance(learner, pattern, "learn", 100)
    client.force_login(learner)
    response = client.post("/account/delete/", {"password": "wrong"})
    assert response.status_code == 400
    assert "not your password" in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()

    response = client.post("/account/delete/", {"password": "correct-horse-9"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    assert not ModeProgress.objects.exists()


def test_a_guest_can_delete_their_progress(client, pattern):
    client.post("/patterns/async-django/learn/done")
    assert client.post("/account/delete/").status_code == 302
    assert not User.objects.exists() and not ModeProgress.objects.exists()


@pytest.mark.parametrize("url", ["/account/", "/account/export.json"])
def test_visitors_without_a_learner_are_sent_to_signup(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == "/signup/"


def test_a_call_without_a_password_is_left_to_other_backends_and_counts_no_failure(learner):
    # Other credentials (no username and password pair) are not a guess at a password.
    assert authenticate(None, username="ada") is None
    assert not LoginFailure.objects.exists()


def test_a_login_with_no_request_is_limited_as_the_unknown_address(learner, settings):
    # authenticate() called outside a request (a script, a management command) still counts.
    settings.LOGIN_FAILURE_LIMIT = 1
    assert authenticate(None, username="ada", password="wrong") is None
    failures = LoginFailure.objects.values_list("username", "address")
    assert list(failures) == [("ada", "0.0.0.0")]  # noqa: S104 - an address stored, not a bind
    assert authenticate(None, username="ada", password="correct-horse-9") is None
