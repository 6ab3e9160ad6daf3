"""Reads a run of the async ORM experiment back in one sentence."""


def reading(run: dict) -> str:
    failed = sum(1 for status in run["statuses"] if status != 200)
    if failed:
        names = sorted(set(run["errors"])) or ["an error"]
        return (
            f"{failed} of {len(run['statuses'])} requests failed: Django raised "
            f"{', '.join(names)} for the plain ORM call on the event loop."
        )
    return (
        f"All {len(run['statuses'])} requests reached the database from an async view, "
        f"the slowest in {max(run['batch']) * 1000:.0f} ms."
    )
