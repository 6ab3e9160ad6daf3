"""codedrill's SQLite backend: write transactions queue on a file lock, which every way out of
a transaction releases."""

import os
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from codedrill.progress.models import ModeProgress

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend only"),
]


def in_thread(work) -> threading.Thread:
    def run():
        try:
            work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_second_writer_waits_for_the_first_to_commit(pattern, learner):
    events = []
    holding = threading.Event()

    def first():
        with transaction.atomic():
            ModeProgress.advance(learner, pattern, "learn", 10)
            holding.set()
            time.sleep(0.3)
            events.append("first commits")

    def second():
        holding.wait()
        with transaction.atomic():
            events.append("second begins")
            ModeProgress.advance(learner, pattern, "learn", 20)

    threads = [in_thread(first), in_thread(second)]
    for thread in threads:
        thread.join(10)
    assert events == ["first commits", "second begins"]
    assert ModeProgress.objects.get().percent == 20


def test_a_failed_transaction_releases_the_lock_while_its_connection_stays_open(pattern, learner):
    failed, done = threading.Event(), threading.Event()

    def failing():
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            ModeProgress.advance(learner, pattern, "learn", 10)
            1 / 0  # noqa: B018
        failed.set()
        done.wait(10)  # keeps its connection (and its lock file) open meanwhile

    holder = in_thread(failing)
    failed.wait(10)
    writer = in_thread(lambda: ModeProgress.advance(learner, pattern, "why", 50))
    writer.join(10)  # a lock left held would keep it waiting until `done`
    finished_while_held = not writer.is_alive()
    done.set()
    holder.join(10)
    writer.join(10)
    assert finished_while_held
    assert list(ModeProgress.objects.values_list("mode", "percent")) == [("why", 50)]


def test_a_connection_closed_after_a_write_reopens_and_closes_again_after_reads(pattern, learner):
    # Closing after reads alone must not release a lock this connection no longer holds: its
    # lock file was closed with it.
    outcome = []

    def write_close_read_close():
        with transaction.atomic():
            ModeProgress.advance(learner, pattern, "learn", 10)
        connection.close()
        outcome.append(ModeProgress.objects.count())  # reopens; a read takes no lock
        connection.close()
        outcome.append("closed")

    in_thread(write_close_read_close).join(10)
    assert outcome == [1, "closed"]


def shorten_sqlites_own_wait() -> None:
    """SQLite's busy handler gives up after 50 ms (settings give it 20 s)."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 50")


def test_writers_wait_on_the_queue_not_on_sqlites_busy_handler(pattern, learner):
    """A writer arriving while another holds the lock far longer than SQLite's own wait still
    gets its turn: the file lock queues it; SQLite alone would answer "database is locked"."""
    events, errors = [], []
    holding = threading.Event()

    def first():
        shorten_sqlites_own_wait()
        with transaction.atomic():
            ModeProgress.advance(learner, pattern, "learn", 10)
            holding.set()
            time.sleep(1)
            events.append("first commits")

    def second():
        shorten_sqlites_own_wait()
        holding.wait()
        try:
            with transaction.atomic():
                events.append("second begins")
                ModeProgress.advance(learner, pattern, "why", 20)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    for thread in [in_thread(first), in_thread(second)]:
        thread.join(10)
    assert errors == []
    assert events == ["first commits", "second begins"]


def blocked_on_the_lock(count: int) -> None:
    """Wait until `count` writers are blocked on the write lock, as the kernel lists them."""
    inode = os.stat(f"{connection.settings_dict['NAME']}.write-lock").st_ino
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        locks = [line.split() for line in Path("/proc/locks").read_text().splitlines()]
        blocked = [lock for lock in locks if lock[1] == "->" and lock[-3].endswith(f":{inode}")]
        if len(blocked) >= count:
            return
        time.sleep(0.01)


def test_writers_are_served_in_arrival_order(pattern, learner):
    order = []
    holding = threading.Event()

    def holder():
        with transaction.atomic():
            ModeProgress.advance(learner, pattern, "learn", 10)
            holding.set()
            blocked_on_the_lock(4)

    def writer(n):
        holding.wait()
        blocked_on_the_lock(n)  # each arrives once the ones before it queue
        with transaction.atomic():
            order.append(n)

    threads = [in_thread(holder)] + [in_thread(lambda n=n: writer(n)) for n in range(4)]
    for thread in threads:
        thread.join(20)
    assert order == [0, 1, 2, 3]
