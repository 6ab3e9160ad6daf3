from django.contrib.auth import login
from django.http import HttpRequest

from codedrill.accounts.models import User


def get_learner(request: HttpRequest) -> User:
    """The learner behind this request; a visitor becomes a guest learner on first need."""
    if request.user.is_authenticated:
        return request.user
    guest = User.create_guest()
    login(request, guest, backend="django.contrib.auth.backends.ModelBackend")
    return guest


def client_address(request: HttpRequest) -> str:
    # Behind a proxy, put it in front of REMOTE_ADDR (see README "Production notes").
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a value, not a bind
