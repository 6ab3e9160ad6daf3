"""Runs and reports as lost_updates.pay_twice says (the pattern's proofs/ folder)."""

from lost_updates import pay_twice

pay_twice()
