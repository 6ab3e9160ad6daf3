"""Reads a run of the deferred-field experiment back in one sentence, from its query counts."""


def reading(run: dict) -> str:
    rows = run["parameters"]["rows"]
    counts = [count for count in run["queries"] if count is not None]
    median = sorted(run["batch"])[len(run["batch"]) // 2] * 1000
    if not counts:
        return "No request was answered with a query count; look at the statuses below."
    queries = max(counts)
    books = "1 book" if rows == 1 else f"{rows} books"
    if queries == 1:
        return (
            f"One query served {books} on each request (median {median:.0f} ms): "
            "the page read no field that the query had left out."
        )
    return (
        f"Each request ran {queries} queries for {books}: the list, then "
        f"{(queries - 1) / rows:g} more per book to fetch a field the list had left out "
        f"(median {median:.0f} ms)."
    )
