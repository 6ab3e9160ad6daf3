"""Reads a run of the deferred-field experiment back in one sentence, from its query counts."""


def reading(run: dict) -> str:
    rows = run["parameters"]["rows"]
    books = "1 book" if rows == 1 else f"{rows} books"
    if None in run["queries"]:
        return "Not every request was answered with a query count; look at the statuses below."
    queries = max(run["queries"])
    if queries == 1:
        return (
            f"One query served {books} on each request (median {run['median'] * 1000:.0f} ms): "
            "the page read no field that the query had left out."
        )
    return (
        f"Each request ran {queries} queries for {books}: the list, then "
        f"{(queries - 1) / rows:g} more per book to fetch a field the list had left out."
    )
