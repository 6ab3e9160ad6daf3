from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject


def _session_user(request: HttpRequest):
    """The user read with the session (codedrill.accounts.sessions), if Django's `get_user`
    would return that very user: the session's user id, a configured backend whose `get_user`
    is ModelBackend's (a read by primary key, then `user_can_authenticate`), and the session's
    auth hash current. None otherwise, and Django's `get_user` decides (the fallback secrets, a
    flush on a stale hash)."""
    session = request.session
    user_id = session.get(auth.SESSION_KEY)  # loads the session, and `session.user` with it
    user = getattr(session, "user", None)
    if user is None or user_id != str(user.pk):
        return None
    path = session.get(auth.BACKEND_SESSION_KEY)
    if path not in settings.AUTHENTICATION_BACKENDS:
        return None
    backend = auth.load_backend(path)
    if type(backend).get_user is not ModelBackend.get_user:
        return None
    known = session.get(auth.HASH_SESSION_KEY)
    if not known or not constant_time_compare(known, user.get_session_auth_hash()):
        return None
    return user if backend.user_can_authenticate(user) else None


def _get_user(request: HttpRequest):
    if not hasattr(request, "_cached_user"):
        request._cached_user = _session_user(request) or auth.get_user(request)
    return request._cached_user


class SessionUserMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with `request.user` taken from the session's own
    read where that is the same user (`_session_user`): one query per request instead of two."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))


def keep_sessions_alive(get_response: Callable[[HttpRequest], HttpResponse]):
    """Renew a learner's session at most once a day, so SESSION_COOKIE_AGE counts from the last
    visit: an active guest never loses progress, and the hot path saves no session per request."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            today = date.today().isoformat()
            if request.session.get("seen") != today:
                request.session["seen"] = today
        return get_response(request)

    return middleware
