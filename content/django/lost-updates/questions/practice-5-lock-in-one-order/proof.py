"""Runs and reports as lost_updates.move_both_ways says (the pattern's proofs/ folder)."""

from lost_updates import move_both_ways

move_both_ways()
