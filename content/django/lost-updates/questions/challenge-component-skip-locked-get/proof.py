"""Runs and reports as lost_updates.buy_while_locked says (the pattern's proofs/ folder)."""

from lost_updates import buy_while_locked

buy_while_locked()
