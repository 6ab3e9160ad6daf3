from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


def content_security_policy(get_response: Callable[[HttpRequest], HttpResponse]):
    """Send the CSP from settings on every response (Django 5.2 has no built-in CSP)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response

    return middleware


def _refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):  # every API answer is JSON
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _has_nul(request: HttpRequest) -> bool:
    texts = [request.path, *request.COOKIES, *request.COOKIES.values()]
    for name, values in request.GET.lists():
        texts += [name, *values]
    return any("\x00" in text for text in texts)


def refuse_bad_requests(get_response: Callable[[HttpRequest], HttpResponse]):
    """Turn away, before anything reads them, requests no view could serve:

    - a NUL byte in the path, the query or a cookie: PostgreSQL text cannot hold one, so the
      first query using it would fail with a 500 (SQLite merely finds nothing);
    - a body over DATA_UPLOAD_MAX_MEMORY_SIZE, files included: Django would spool the files
      of a multipart body to disk, though no form here takes a file.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return _refuse(request, 400, "A NUL character is not allowed in a request.")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refuse(request, 400, "Content-Length is not a number.")
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
            return _refuse(request, 413, f"The request body is too large: at most {limit} KB.")
        return get_response(request)

    return middleware
