"""Reads a run of the related-rows experiment back in one sentence, from its query counts."""


def reading(run: dict) -> str:
    rows, counts = run["parameters"]["rows"], [q for q in run["queries"] if q is not None]
    if not counts:
        return "No request was answered with a query count; look at the statuses below."
    queries, took = max(counts), f"median {run['median'] * 1000:.0f} ms"
    if rows == 1:
        return (
            f"Each request ran {queries} queries for 1 book ({took}): raise the rows to see "
            "which part grows with them."
        )
    extra = (queries - 1) / rows
    if extra >= 1:
        return (
            f"Each request ran {queries} queries for {rows} books: one for the list and "
            f"{extra:g} more for every book ({took})."
        )
    return (
        f"Each request ran only {queries} queries for {rows} books: the related rows came "
        f"with the list, not one book at a time ({took})."
    )
