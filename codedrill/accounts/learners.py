from django.contrib.auth import login
from django.http import HttpRequest

from codedrill.accounts.models import User


def get_learner(request: HttpRequest) -> User:
    """The learner behind this request; a visitor becomes a guest learner on first need."""
    if request.user.is_authenticated:
        return request.user
    guest = User.create_guest()
    # login() renews the CSRF token, which would refuse every other form already on the
    # visitor's page (a reading page's background "read" post raced its Done button). A guest
    # holds no credentials worth the renewal; signing in or up still renews it.
    token = request.META.get("CSRF_COOKIE")
    login(request, guest, backend="django.contrib.auth.backends.ModelBackend")
    if token:
        request.META["CSRF_COOKIE"] = token
    return guest


def client_address(request: HttpRequest) -> str:
    # Behind a proxy, put it in front of REMOTE_ADDR (see README "Production notes").
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a value, not a bind
