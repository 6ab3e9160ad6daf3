from collections.abc import Callable
from datetime import date

from django.http import HttpRequest, HttpResponse


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
