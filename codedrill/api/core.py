"""The JSON API's frame: one NinjaAPI, session auth with CSRF for writes, JSON for every error.

Routers live beside it (learning, attempts, review); each calls the same rule modules the pages
call, so a rule has one home.
"""

from django.http import Http404, HttpRequest
from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyHeader
from ninja.utils import check_csrf

from codedrill.accounts.learners import get_learner
from codedrill.quiz.answers import BadAnswer


class AnswerIn(Schema):
    """An answer: an option id (single) or text (short), a list of option ids (multiple,
    order), or {blank: option id} (blank). Which ids are right is the question's business, so
    a well-formed answer that is not one of its options is a 400 too."""

    answer: str | list[str] | dict[str, str]


class NotJson(Exception):
    """A write whose body is not JSON (the API answers 415)."""


class Learner(SimpleLazyObject):
    """The learner behind a write, looked up (or made a guest) when a rule first needs them,
    so a write refused before that (a malformed body, a missing pattern) makes no guest."""

    def __bool__(self) -> bool:
        return True  # ninja tests what authentication returns; that must not make the guest


class LearnerSession(APIKeyHeader):
    """Writes take JSON and need Django's CSRF token: the csrftoken cookie's value as the
    X-CSRFToken header, as Django's pages send it. That header is what the OpenAPI document
    names as the writes' security; the session cookie is optional, since a visitor without one
    becomes a guest learner, as on the pages."""

    param_name = "X-CSRFToken"

    def __call__(self, request: HttpRequest):
        # Before the CSRF check, which reads a form body that JSON parsing could then not read.
        if request.content_type not in ("", "application/json"):
            raise NotJson
        if check_csrf(request):
            raise HttpError(403, "CSRF check failed")
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None):
        return Learner(lambda: get_learner(request))


DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# Refusals any operation can answer, beside those its route declares: a NUL byte in the URL
# (codedrill.middleware) or a malformed body is 400; a missing pattern, attempt or question
# 404; a write without CSRF 403, with a body over the limit 413, with a body not JSON 415.
ERRORS = {
    "400": "Malformed: a NUL byte in the URL, or a body that is not valid",
    "404": "Not found, or not this learner's",
}
WRITE_ERRORS = {
    "403": "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken",
    "413": "The body is over the size limit",
    "415": "The body is not JSON",
}


class API(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """ninja's document, with the refusals every operation can answer (ERRORS)."""
        schema = super().get_openapi_schema(**kwargs)
        for path in schema["paths"].values():
            for operation in path.values():
                # A parameter or a body can name something that is not there.
                names = operation.get("parameters") or operation.get("requestBody")
                errors = dict(ERRORS) if names else {"400": ERRORS["400"]}
                if operation.get("security"):
                    errors |= WRITE_ERRORS
                for status, description in errors.items():
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": DETAIL}},
                        },
                    )
        return schema


# No docs page: ninja's Swagger UI loads from a CDN, and codedrill makes no third-party requests.
api = API(
    title="codedrill",
    version="1",
    description="Every learner flow of codedrill. Writes take JSON and need the CSRF token.",
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
