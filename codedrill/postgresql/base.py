"""Django's PostgreSQL backend, with the connection health check sent only after idle time.

With CONN_HEALTH_CHECKS Django sends `SELECT 1` before the first query of every request, one
round trip more per request (benchmarks/README.md "Challenge load"). Here a connection that
served a request less than IDLE_SECONDS ago is taken as working; one that sat idle longer (and
may have been dropped meanwhile: a database restart, a proxy's idle timeout) is still checked
before use. A connection that fails during a request is closed at its end, as Django always
does (`errors_occurred`), so the next request opens a new one.
"""

from time import monotonic

from django.db.backends.postgresql import base

IDLE_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    _used_at = float("-inf")  # monotonic time of the last request's first query

    def close_if_health_check_failed(self):
        # Django calls this before each query; it checks once per request (health_check_done).
        if self.connection is not None and not self.health_check_done:
            now = monotonic()
            if now - self._used_at < IDLE_SECONDS:
                self.health_check_done = True
            self._used_at = now
        super().close_if_health_check_failed()
