import os
import subprocess

from conftest import CODEDRILL
from django.db import connection
from liveserver import stop

from codedrill.lab.engine import free_port

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_it_answers_with_json(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "static": "ok"}


def test_it_is_503_while_static_files_are_not_collected(client, db, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path  # empty: no manifest, as before `collectstatic`
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "static": "missing"}


def test_it_is_503_while_the_database_is_unreachable(client, django_db_blocker, monkeypatch):
    # A database that is not there, on either backend: a file in a missing folder for
    # SQLite, a database name the server does not have for PostgreSQL.
    with django_db_blocker.unblock():
        connection.close()
        monkeypatch.setitem(connection.settings_dict, "NAME", "/no/such/folder/codedrill")
        try:
            response = client.get("/healthz")
        finally:
            connection.close()
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable", "static": "ok"}


def test_it_refuses_writes(client, db):
    assert client.post("/healthz").status_code == 405


def test_serve_refuses_to_start_before_collectstatic(tmp_path):
    env = {**os.environ, "CODEDRILL_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env["PORT"] = str(free_port())
    process = subprocess.Popen(
        [CODEDRILL, "serve"], env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        _out, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        stop(process)  # it started serving: the bug this test is about
        raise
    assert process.returncode == 1
    assert "codedrill collectstatic" in err
