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


def two_at_once(call, hold_seconds: float = 1.0) -> list[str]:
    """Run `call()` in two threads at once, each on a database connection of its own, holding
    each thread's first write (UPDATE or INSERT) until the other reaches its own, or for
    `hold_seconds` when the other is blocked on a lock: so both reads come before either write
    whenever the database lets them, every run alike. The two outcomes, sorted: what `call()`
    returned, as text, or the class name of what it raised. For a proof after `configure`."""
    import contextlib
    import threading

    from django.db import connection

    from codedrill.lab import engine

    engine.timed = True  # a hold can time out: the checker runs the proof 3 times, as timed
    both_there = threading.Barrier(2)
    outcomes = []

    def one():
        held = []

        def hold_first_write(execute, sql, params, many, context):
            if not held and sql.startswith(("UPDATE", "INSERT")):
                held.append(sql)
                # The other waits on a lock: write alone once the barrier breaks.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_there.wait(timeout=hold_seconds)
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(hold_first_write):
                outcomes.append(str(call()))
        except Exception as exc:  # noqa: BLE001 - a failure is an outcome, named by its class
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
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
