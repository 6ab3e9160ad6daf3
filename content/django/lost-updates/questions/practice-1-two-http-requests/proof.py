"""Runs and reports as lost_updates.two_http_buys says (the pattern's proofs/ folder)."""

from lost_updates import two_http_buys

two_http_buys()
