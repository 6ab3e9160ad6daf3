"""Reads a run of the row-lock experiment back in one sentence."""

STOCK = 100  # the teapots site.py's seed() puts in stock


def reading(run: dict) -> str:
    statuses, batch = run["statuses"], run["batch"]
    sold, busy = statuses.count(200), statuses.count(409)
    failed = len(statuses) - sold - busy
    left = run["tally"]
    if failed:
        errors = ", ".join(sorted(set(run["errors"]))) or "a server error"
        return (
            f"{failed} of {len(statuses)} purchases failed with {errors}: select_for_update() "
            "needs a transaction to hold its lock in."
        )
    if left is None:
        return "The stock could not be read after the run; look at the statuses below."
    kept = f"the stock fell by {STOCK - left} for {sold} sale{'s' if sold != 1 else ''}"
    if busy:
        return (
            f"{sold} buyer{'s' if sold != 1 else ''} got the lock and bought, and {busy} found "
            f"the row locked and {'were' if busy > 1 else 'was'} turned away at once with 409 "
            f"({kept})."
        )
    if len(batch) == 1:
        return f"One buyer, nothing to wait for: answered in {batch[0]:.2f} s ({kept})."
    return (
        f"{kept[0].upper()}{kept[1:]}. The first buyer was answered after {min(batch):.2f} s, "
        f"the last after {max(batch):.2f} s: "
        + (
            "they took turns at the row lock, each waiting for the payments before theirs."
            if max(batch) > 2 * min(batch)
            else "nobody waited for anyone else's payment."
        )
    )
