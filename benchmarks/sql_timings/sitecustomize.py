"""Time every SQL statement a server process runs, for `challenge_load.py --sql-timings`.

Python imports `sitecustomize` at start-up from PYTHONPATH, so the benchmark puts this folder
there for the server only: codedrill itself is not changed. When the benchmark creates
SQL_TIMINGS_DIR/dump, each process writes [[unix time, statement kind, seconds], ...] to
SQL_TIMINGS_DIR/<pid>.json; until then recording a statement costs an append, nothing more.
"""

import json
import os
import threading
import time

if os.environ.get("SQL_TIMINGS_DIR"):
    from django.db.backends.signals import connection_created

    _timings: list[tuple[float, str, float]] = []
    _lock = threading.Lock()
    _watching: set[int] = set()

    def _kind(sql: str) -> str:
        words = sql.split(None, 2)
        if words[:2] == ["BEGIN", "IMMEDIATE"]:
            return "BEGIN IMMEDIATE"  # waits for SQLite's one write lock
        return words[0].upper() + (" ... FOR UPDATE" if sql.endswith("FOR UPDATE") else "")

    def _timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - start
            with _lock:
                _timings.append((time.time(), _kind(sql), took))

    def _dump_when_asked() -> None:
        folder = os.environ["SQL_TIMINGS_DIR"]
        while not os.path.exists(os.path.join(folder, "dump")):
            time.sleep(0.2)
        with _lock:
            taken = list(_timings)
        path = os.path.join(folder, f"{os.getpid()}.json")
        with open(path + ".tmp", "w") as f:
            json.dump(taken, f)
        os.replace(path + ".tmp", path)  # the benchmark never reads a half-written file

    def _instrument(sender, connection, **kwargs) -> None:
        connection.execute_wrappers.append(_timed)
        with _lock:
            # Workers may be forked after start-up, and threads do not survive a fork.
            if os.getpid() not in _watching:
                _watching.add(os.getpid())
                threading.Thread(target=_dump_when_asked, daemon=True).start()

    connection_created.connect(_instrument, weak=False)
