"""Reads a run of the lock-order experiment back in one sentence."""

STOCK = 100  # the cups site.py's seed() puts in stock


def reading(run: dict) -> str:
    statuses = run["statuses"]
    sold = statuses.count(200)
    failed = len(statuses) - sold
    left = run["tally"]
    cups = "" if left is None else f"; {STOCK - left} cup{'' if STOCK - left == 1 else 's'} left"
    if failed and "OperationalError" in run["errors"]:
        return (
            f"{failed} of {len(statuses)} baskets failed with OperationalError: baskets each "
            "held one row and waited for the other's, a deadlock, and PostgreSQL cancelled "
            f"{'one' if failed == 1 else 'them one by one'} to let the rest go on{cups}. The "
            f"run took {run['wall']:.1f} s."
        )
    if failed:
        errors = ", ".join(sorted(set(run["errors"]))) or "a server error"
        return f"{failed} of {len(statuses)} baskets failed with {errors}{cups}."
    return (
        f"{'All ' if len(statuses) > 1 else ''}{len(statuses)} basket"
        f"{'s' if len(statuses) > 1 else ''} went through{cups}, and the last was answered "
        f"after {max(run['batch']):.2f} s."
    )
