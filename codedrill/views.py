from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.templatetags.static import static
from django.views.decorators.http import require_safe


def static_ready() -> bool:
    """Whether pages can name their static files: with hashed names that needs the manifest
    `codedrill collectstatic` writes, and without it every page would be a 500."""
    try:
        static("codedrill/style.css")
    except ValueError:
        return False
    return True


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness, database reachability and static files, for load balancers and `make run`'s
    readiness wait: 503 when either is not ready."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError:
        database = "unreachable"
    static_files = "ok" if static_ready() else "missing"
    ok = database == "ok" and static_files == "ok"
    body = {"status": "ok" if ok else "error", "database": database, "static": static_files}
    return JsonResponse(body, status=200 if ok else 503)
