"""Sessions kept in the database, each read with its user in one query (SESSION_ENGINE).

Django's database store, on codedrill's own session model (`accounts.Session`), which holds
the logged-in user as a foreign key. `load` reads the user's row with the session's, and
`codedrill.accounts.middleware.authenticate` uses it: every request of a signed-in learner or
a guest saves the query Django's `get_user` would make (benchmarks/README.md, issue 20).

The class must stay named `SessionStore`: Django signs session data with a salt made from the
class's name, so sessions written by Django's own store (before migration accounts 0002) are
still read by this one.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.utils import timezone

from codedrill.prepared import Param, Prepared


def _live_sessions():
    from codedrill.accounts.models import Session

    rows = Session.objects.select_related("user")
    return rows.filter(session_key=Param("key"), expire_date__gt=Param("now"))


# Every request with a session cookie makes this read: compiled once (codedrill.prepared).
_LIVE_SESSION = Prepared(_live_sessions)


class SessionStore(db.SessionStore):
    # The session's user as read with it by `load`: None before that, or when it has none.
    user = None

    @classmethod
    def get_model_class(cls):
        from codedrill.accounts.models import Session

        return Session

    def load(self) -> dict:
        """Django's `load`, with the user's row read in the same query."""
        row = _LIVE_SESSION.first(key=self.session_key, now=timezone.now())
        if row is None:
            self._session_key = None
            return {}
        self.user = row.user
        return self.decode(row.session_data)

    def create_model_instance(self, data: dict):
        row = super().create_model_instance(data)
        try:
            row.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            row.user_id = None
        return row
