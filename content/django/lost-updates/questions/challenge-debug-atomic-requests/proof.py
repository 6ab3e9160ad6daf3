"""Runs and reports as lost_updates.two_http_buys says (the pattern's proofs/ folder), with
ATOMIC_REQUESTS on."""

from lost_updates import two_http_buys

DATABASE_OPTIONS = (("ATOMIC_REQUESTS", True),)
two_http_buys(database_options=DATABASE_OPTIONS)
