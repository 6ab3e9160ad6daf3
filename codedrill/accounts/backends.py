from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from codedrill.accounts.learners import client_address
from codedrill.accounts.models import LoginFailure


class RateLimitedBackend(ModelBackend):
    """Passwords checked with the login rate limit, wherever a login comes from: the login
    page, the admin's, or any other authenticate() call. A username or address with too many
    recent failures is refused, right password or not.

    Every attempt ends here, with a member or PermissionDenied, so the backends listed after
    this one never check a password: they only keep the sessions they logged in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        address = client_address(request) if request is not None else "0.0.0.0"  # noqa: S104
        if LoginFailure.blocked(username, address):
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password)
        if user is None or user.is_guest:
            LoginFailure.record(username, address)
            raise PermissionDenied
        LoginFailure.clear(username)
        return user
