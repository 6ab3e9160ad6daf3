"""Runs and reports as lost_updates.race_each_buy says (the pattern's proofs/ folder)."""

from lost_updates import race_each_buy

DATABASE = "sqlite"
STOCK = 10
DATABASE_OPTIONS = (("OPTIONS", {"init_command": "PRAGMA journal_mode=WAL;"}),)
race_each_buy(database=DATABASE, stock=STOCK, database_options=DATABASE_OPTIONS)
