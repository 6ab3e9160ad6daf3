"""Runs and reports as lost_updates.claim_twice says (the pattern's proofs/ folder)."""

from lost_updates import claim_twice

claim_twice()
