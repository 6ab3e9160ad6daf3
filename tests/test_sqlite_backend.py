"""codedrill's SQLite backend: write transactions queue on a file lock, which every way out of
a transaction releases."""

import threading
import time

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
    started = time.monotonic()
    in_thread(lambda: ModeProgress.advance(learner, pattern, "why", 50)).join(10)
    waited = time.monotonic() - started
    done.set()
    holder.join(10)
    assert waited < 1
    assert list(ModeProgress.objects.values_list("mode", "percent")) == [("why", 50)]
