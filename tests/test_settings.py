import json
import os
import stat
import subprocess

import pytest
from conftest import CODEDRILL
from django.conf import settings
from django.db import connection

SHOW = (
    "from django.conf import settings; import json; "
    "print(json.dumps([settings.SECRET_KEY, settings.DEBUG, settings.DATABASES['default']]))"
)


def run_shell(env: dict) -> list:
    result = subprocess.run(
        [CODEDRILL, "shell", "-v0", "-c", SHOW],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_it_generates_a_secret_key_once_and_keeps_it(tmp_path):
    env = {"CODEDRILL_DATA_DIR": str(tmp_path), "SECRET_KEY": "", "DEBUG": ""}
    first, debug, _db = run_shell(env)
    second, _debug, _db = run_shell(env)
    assert first == second and len(first) >= 50
    assert debug is False
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_it_reads_database_url(tmp_path):
    env = {"CODEDRILL_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://u:p@127.0.0.1:5999/x"}
    _key, _debug, db = run_shell(env)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("127.0.0.1", 5999, "x")


def test_it_defaults_to_sqlite_in_the_data_folder(tmp_path):
    env = {"CODEDRILL_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    _key, _debug, db = run_shell(env)
    assert db["NAME"] == str(tmp_path / "codedrill.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_sqlite_runs_in_wal_mode(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_debug_is_off_by_default():
    assert settings.DEBUG is False
