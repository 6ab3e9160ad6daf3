"""The JSON API's frame: one NinjaAPI, session auth with CSRF for writes, JSON for every error.

Routers live beside it (learning, attempts, review); each calls the same rule modules the pages
call, so a rule has one home.
"""

from django.conf import settings
from django.http import Http404, HttpRequest
from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie

from codedrill.accounts.learners import get_learner
from codedrill.quiz.answers import BadAnswer


class NotJson(Exception):
    """A write whose body is not JSON (the API answers 415)."""


class Learner(SimpleLazyObject):
    """The learner behind a write, looked up (or made a guest) when a rule first needs them,
    so a write refused before that (a malformed body, a missing pattern) makes no guest."""

    def __bool__(self) -> bool:
        return True  # ninja tests what authentication returns; that must not make the guest


class LearnerSession(APIKeyCookie):
    """Writes take JSON and need the session cookie's CSRF token (the X-CSRFToken header, as
    Django's pages use). A visitor without a session becomes a guest learner, as on the pages."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest):
        # Before the CSRF check, which reads a form body that JSON parsing could then not read.
        if request.content_type not in ("", "application/json"):
            raise NotJson
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None):
        return Learner(lambda: get_learner(request))


# No docs page: ninja's Swagger UI loads from a CDN, and codedrill makes no third-party requests.
api = NinjaAPI(
    title="codedrill",
    version="1",
    description="Every learner flow of codedrill. Writes need the session cookie and CSRF.",
    urls_namespace="api",
    docs_url=None,
)
write = LearnerSession()


def _error(request: HttpRequest, message: str, status: int, **extra):
    return api.create_response(request, {"detail": message, **extra}, status=status)


@api.exception_handler(ValidationError)
def malformed(request, exc: ValidationError):
    # Malformed bodies are the client's error: 400 (not ninja's 422), with what was wrong.
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]), "message": e.get("msg", "")}
        for e in exc.errors
    ]
    return _error(request, "The request body is not valid.", 400, errors=errors)


@api.exception_handler(NotJson)
def not_json(request, exc):
    return _error(request, "Send the body as JSON, with Content-Type: application/json.", 415)


@api.exception_handler(BadAnswer)
def bad_answer(request, exc: BadAnswer):
    return _error(request, str(exc), 400)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, "Not found.", 404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _error(request, "Sign in, or send the session cookie.", 401)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    messages = {
        403: "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken.",
        400: "The request body is not valid JSON.",
    }
    return _error(request, messages.get(exc.status_code, str(exc)), exc.status_code)


@api.get("/csrf", tags=["session"])
def csrf(request):
    """A CSRF token, also set as the csrftoken cookie: send it as X-CSRFToken on writes. After
    the first write a visitor becomes a guest learner and the token changes: read the cookie."""
    return {"csrf_token": get_token(request)}
