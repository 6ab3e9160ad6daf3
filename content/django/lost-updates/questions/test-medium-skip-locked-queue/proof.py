"""Runs and reports as lost_updates.take_two_jobs says (the pattern's proofs/ folder)."""

from lost_updates import take_two_jobs

take_two_jobs()
