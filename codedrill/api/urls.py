import functools

from django.http import JsonResponse
from django.urls import path, re_path

from codedrill.api import attempts, lab, learning, projects, review  # noqa: F401 - they register routes
from codedrill.api.core import api


def _json_method_errors(view):
    """ninja answers a wrong method with a plain-text 405; every API error is JSON."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405:
            allowed = response["Allow"]
            message = f"{request.method} is not allowed here; use {allowed}."
            return JsonResponse({"detail": message}, status=405, headers={"Allow": allowed})
        return response

    return wrapped


def not_found(request, rest):
    return JsonResponse({"detail": f"No API endpoint at /api/v1/{rest}."}, status=404)


urlpatterns = [
    path(str(p.pattern), _json_method_errors(p.callback), name=p.name) for p in api.urls[0]
] + [re_path(r"^(?P<rest>(?s:.*))$", not_found)]  # (?s): a path may hold a newline too
