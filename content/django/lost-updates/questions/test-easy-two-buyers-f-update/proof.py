"""Runs and reports as lost_updates.race_each_buy says (the pattern's proofs/ folder)."""

from lost_updates import race_each_buy

DATABASE = "postgresql"
STOCK = 10
race_each_buy(database=DATABASE, stock=STOCK)
