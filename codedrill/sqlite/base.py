"""Django's SQLite backend, with write transactions queued in arrival order.

Every transaction starts with BEGIN IMMEDIATE (settings), which takes SQLite's write lock at
once. When the lock is taken, SQLite's busy handler makes a waiting writer sleep and retry with
growing pauses of up to 100 ms, so under a burst some writers wait far longer than others and
the lock often sits free while they sleep. Here each transaction first takes an exclusive
flock(2) on a file beside the database: the kernel wakes the next writer the moment the last
one finishes, across threads and across server processes. Reads never take it.
"""

import fcntl

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock = None  # the open lock file, one per connection (so per thread)
    _holding = False

    def _start_transaction_under_autocommit(self):
        if not self.is_in_memory_db():
            if self._write_lock is None:
                self._write_lock = open(f"{self.settings_dict['NAME']}.write-lock", "a")  # noqa: SIM115 - closed in _close
            fcntl.flock(self._write_lock, fcntl.LOCK_EX)
            self._holding = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release()
            raise

    def _release(self):
        if self._holding:
            self._holding = False
            fcntl.flock(self._write_lock, fcntl.LOCK_UN)

    def _commit(self):
        try:
            super()._commit()
        finally:
            self._release()

    def _rollback(self):
        try:
            super()._rollback()
        finally:
            self._release()

    def _close(self):
        try:
            super()._close()
        finally:
            self._release()
            if self._write_lock is not None:
                self._write_lock.close()
                self._write_lock = None
