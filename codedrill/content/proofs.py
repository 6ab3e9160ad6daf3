"""Proofs: the programs that decide answer keys. This module is both ends of the protocol.

Inside a proof: `code()` is the code the learner is shown (for a code-blank question, completed
with the option being tried), and `observe(**facts)` reports what the proof saw. The checker
(codedrill.content.check) runs each proof in the sandbox and compares the facts with what each
option says it stands for.
"""

import json
import os
import re
import sys
from pathlib import Path

from codedrill.sandbox import OBSERVATION_ENV

BLANK_RE = re.compile(r"___(\w+)___")
CODE_ENV = "CODEDRILL_CODE"  # the file holding the code under test, in the run's folder


def keyed_choice(options: list[dict], key: dict) -> dict[str, str]:
    """For a blank question: each blank's keyed text, {blank: code that fills it}."""
    texts = {option["id"]: option["text"] for option in options}
    return {str(blank): texts[option] for blank, option in key.items()}


def fill_blanks(code: str, choice: dict[str, str]) -> str:
    """The code with each `___name___` blank replaced by the text chosen for it."""
    return BLANK_RE.sub(lambda m: choice.get(m.group(1), m.group(0)), code)


def code() -> str:
    """The code under test. Run by the checker, it is the file the checker wrote; run by hand
    (`python proof.py` in the question's folder), it is the `code` of the YAML file beside it,
    with each blank filled by its key."""
    if name := os.environ.get(CODE_ENV):
        return (Path.home() / name).read_text(encoding="utf-8")
    import yaml  # only by hand: a checked proof is spared its import

    folder = Path(sys.argv[0]).resolve().parent
    source = next(p for p in (folder / "question.yaml", folder / "trace.yaml") if p.exists())
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    key = data.get("key")
    choice = keyed_choice(data.get("options", []), key) if isinstance(key, dict) else {}
    return fill_blanks(data.get("code", ""), choice)


def observe(**facts) -> None:
    """Report what the proof observed. Values must be JSON: numbers, text, booleans, lists."""
    from codedrill.lab import engine

    report = dict(facts)
    if engine.servers_started:
        report["_servers"] = engine.servers_started
    if engine.timed:
        report["_timed"] = True
    text = json.dumps(report, sort_keys=True)
    if path := os.environ.get(OBSERVATION_ENV):
        Path(path).write_text(text, encoding="utf-8")
    else:
        print(text)


def count_queries(run) -> int:
    """How many queries `run()` sends on the default database, counted the way Django's
    assertNumQueries counts them (for a proof that has called `configure`)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


FIRST_WRITE = (("UPDATE", "INSERT"), 1)  # what two_at_once holds: each thread's first write
# SQLite has one write lock for the whole database: these statements need it.
_SQLITE_WRITE_LOCKING = ("BEGIN IMMEDIATE", "BEGIN EXCLUSIVE", "INSERT", "UPDATE", "DELETE")
_STUCK_SECONDS = 30  # a bound for a proof gone wrong, never a part of the observation


def two_at_once(call, other=None, hold=FIRST_WRITE, name=None) -> list[str]:
    """Run `call()` and `other()` (`call()` again when None) in two threads at once, each on a
    database connection of its own, holding each thread's first write (UPDATE or INSERT; or
    `hold`: (the statement's first word or words, which one of them)) until the other thread
    reaches its own, ends, or waits on a lock the held thread has: so both reads come before
    either write whenever the database lets them. Nothing rests on timing, so every run is the
    same. A thread waits on a lock when PostgreSQL says so (pg_blocking_pids); on SQLite, when
    it asks for the database's one write lock (BEGIN IMMEDIATE or EXCLUSIVE, or a write) while
    the held thread's transaction has it (it began IMMEDIATE or EXCLUSIVE, or has written).
    The two outcomes, sorted: what each call returned, as text, or `name(exception)` of what it
    raised (its class name by default). For a proof after `configure`."""
    import threading

    from django.db import connection

    words, which = hold
    name = name or (lambda exc: type(exc).__name__)
    there = [threading.Event(), threading.Event()]  # at its held statement, or done
    running: list[str | None] = [None, None]  # the statement each thread is in, if any
    backends: list[int | None] = [None, None]  # PostgreSQL: each connection's server process
    has_write_lock = [False, False]  # SQLite: its open transaction has the write lock
    stuck, outcomes = [], []

    def waits_on(me: int, db, watcher) -> bool:
        """Whether the other thread waits on a lock that thread `me` has."""
        other = 1 - me
        if db.vendor == "postgresql":
            if backends[other] is None:
                return False
            with watcher.cursor() as cursor:
                cursor.execute(
                    "SELECT %s = ANY(pg_blocking_pids(%s))", [backends[me], backends[other]]
                )
                return cursor.fetchone()[0]
        statement = running[other] or ""
        return (
            has_write_lock[me]
            and db.connection.in_transaction
            and statement.upper().startswith(_SQLITE_WRITE_LOCKING)
        )

    def hold_until_both_there(me: int, db) -> None:
        from django.db import connections

        there[me].set()
        watcher = connections.create_connection(db.alias) if db.vendor == "postgresql" else None
        try:
            for _ in range(int(_STUCK_SECONDS * 100)):
                if there[1 - me].wait(0.01) or waits_on(me, db, watcher):
                    return
            stuck.append(me)
        finally:
            if watcher is not None:
                watcher.close()

    def one(me: int) -> None:
        seen = 0

        def held(execute, sql, params, many, context):
            nonlocal seen
            db = context["connection"]
            if db.vendor == "postgresql":
                backends[me] = db.connection.info.backend_pid
            if sql.startswith(words):
                seen += 1
                if seen == which:
                    hold_until_both_there(me, db)
            running[me] = sql
            try:
                result = execute(sql, params, many, context)
            finally:
                running[me] = None
            if db.vendor == "sqlite":
                if sql.upper().startswith("BEGIN"):  # a new transaction: the lock if it asks
                    has_write_lock[me] = sql.upper().startswith(_SQLITE_WRITE_LOCKING[:2])
                elif sql.upper().startswith(_SQLITE_WRITE_LOCKING[2:]):
                    has_write_lock[me] = has_write_lock[me] or db.connection.in_transaction
            return result

        try:
            with connection.execute_wrapper(held):
                outcomes.append(str(calls[me]()))
        except Exception as exc:  # noqa: BLE001 - a failure is an outcome, named
            outcomes.append(name(exc))
        finally:
            there[me].set()  # a call that ends before its held statement holds nobody up
            connection.close()

    calls = (call, other or call)
    threads = [threading.Thread(target=one, args=(me,)) for me in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if stuck:
        raise RuntimeError(
            f"two_at_once: a thread waited {_STUCK_SECONDS} s for the other to reach its held "
            "statement or wait on a lock; neither happened"
        )
    return sorted(outcomes)


def run_or_report(*args, **kwargs):
    """engine.run, for a proof whose code may not start at all (a wrong blank can break the
    site): then the failure is the observation, reported as {status: None, error: ...}, and
    the proof ends, so it counts as a wrong answer rather than a broken proof."""
    from codedrill.lab import engine

    try:
        return engine.run(*args, **kwargs)
    except engine.ExperimentError as exc:
        first_line = (str(exc).splitlines() or [""])[0]
        observe(status=None, body="", error=f"server did not start: {first_line}")
        raise SystemExit(0) from None
