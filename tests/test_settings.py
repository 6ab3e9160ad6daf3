import json
import os
import stat
import subprocess

import pytest
from conftest import CODEDRILL
from django.db import connection

SHOW = (
    "from django.conf import settings; import json; "
    "print(json.dumps([settings.SECRET_KEY, settings.DEBUG, settings.DATABASES['default'], "
    "[settings.SERVER_WORKERS, settings.SERVER_THREADS]]))"
)
# Requests as a browser behind a TLS-terminating proxy sends them, with the settings the README
# gives for production; each answer is reported, not judged, so the test reads the outcome.
BEHIND_A_PROXY = """
import json
from django.conf import settings
from django.test import Client

# Error pages name static files: let them render without `collectstatic`.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client(enforce_csrf_checks=True, HTTP_HOST="codedrill.example.org")
plain = client.get("/catalog-over-http/")
health = client.get("/healthz")
proxied = client.get("/api/v1/csrf", HTTP_X_FORWARDED_PROTO="https")
token = client.cookies.get("csrftoken")  # none where the request was redirected


def post_from(origin):
    headers = {"HTTP_ORIGIN": origin, "HTTP_X_FORWARDED_PROTO": "https"}
    return client.post("/healthz", HTTP_X_CSRFTOKEN=token and token.value, **headers).status_code


print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "health": health.json()["database"],
    "proxied": [proxied.status_code, proxied.get("Strict-Transport-Security")],
    "secure_cookie": bool(token and token["secure"]),
    "trusted_origin": post_from("https://learn.example.org"),
    "other_origin": post_from("https://evil.example.org"),
}))
"""
PRODUCTION = {
    "HTTPS": "on",
    "HSTS_SECONDS": "60",
    "TRUST_X_FORWARDED_PROTO": "on",
    "ALLOWED_HOSTS": "codedrill.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://learn.example.org",
}


def run_shell(env: dict, code: str = SHOW):
    inherited = {k: v for k, v in os.environ.items() if k not in ("WEB_WORKERS", "WEB_THREADS")}
    result = subprocess.run(
        [CODEDRILL, "shell", "-v0", "-c", code],
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_it_generates_a_secret_key_once_and_keeps_it(tmp_path):
    env = {"CODEDRILL_DATA_DIR": str(tmp_path), "SECRET_KEY": "", "DEBUG": ""}
    first, debug, _db, _serve = run_shell(env)
    second, _debug, _db, _serve = run_shell(env)
    assert first == second and len(first) >= 50
    assert debug is False
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_it_reads_database_url(tmp_path):
    env = {"CODEDRILL_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://u:p@127.0.0.1:5999/x"}
    _key, _debug, db, serve = run_shell(env)
    assert db["ENGINE"] == "codedrill.postgresql"  # Django's, health-checked after idle time
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("127.0.0.1", 5999, "x")
    assert serve == [2, 4]  # `codedrill serve`: threads overlap the round trips to the server


def test_it_defaults_to_sqlite_in_the_data_folder(tmp_path):
    env = {"CODEDRILL_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    _key, _debug, db, serve = run_shell(env)
    assert db["NAME"] == str(tmp_path / "codedrill.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert serve == [2, 1]  # `codedrill serve`: one thread per process on SQLite


def test_sqlite_runs_in_wal_mode(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_debug_is_on_only_when_asked(tmp_path):
    # In-process settings cannot tell: pytest-django forces DEBUG off whatever the environment.
    env = {"CODEDRILL_DATA_DIR": str(tmp_path), "SECRET_KEY": "k" * 50}
    assert run_shell({**env, "DEBUG": "1"})[1] is True
    assert run_shell({**env, "DEBUG": "off"})[1] is False


def test_https_behind_a_proxy_redirects_sets_secure_cookies_and_hsts(tmp_path):
    seen = run_shell({"CODEDRILL_DATA_DIR": str(tmp_path), **PRODUCTION}, BEHIND_A_PROXY)
    assert seen["plain"] == [301, "https://codedrill.example.org/catalog-over-http/"]
    assert seen["health"] == "ok"  # a load balancer's plain-HTTP probe is answered, not moved
    assert seen["proxied"] == [200, "max-age=60; includeSubDomains; preload"]
    assert seen["secure_cookie"] is True
    assert seen["trusted_origin"] == 405  # past CSRF, to the view, which takes no POST
    assert seen["other_origin"] == 403


def test_x_forwarded_proto_is_ignored_unless_trusted(tmp_path):
    env = {"CODEDRILL_DATA_DIR": str(tmp_path), **PRODUCTION, "TRUST_X_FORWARDED_PROTO": ""}
    seen = run_shell(env, BEHIND_A_PROXY)
    assert seen["proxied"][0] == 301  # a client's own header does not make the request https
