"""Runs and reports as lost_updates.lock_nullable_join says (the pattern's proofs/ folder)."""

from lost_updates import lock_nullable_join

lock_nullable_join()
