"""Runs and reports as lost_updates.call_main says (the pattern's proofs/ folder)."""

from lost_updates import call_main

DATABASE = "sqlite"
call_main(database=DATABASE)
