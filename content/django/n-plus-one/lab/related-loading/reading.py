"""Reads a run of the related-rows experiment back in one sentence, from its query counts."""


def reading(run: dict) -> str:
    rows = run["parameters"]["rows"]
    counts = sorted({count for count in run["queries"] if count is not None})
    median = sorted(run["batch"])[len(run["batch"]) // 2] * 1000
    if not counts:
        return "No request was answered with a query count; look at the statuses below."
    queries = counts[-1]
    if rows == 1:
        return (
            f"Each request ran {queries} queries for 1 book (median {median:.0f} ms): raise "
            "the rows to see which part grows with them."
        )
    extra = (queries - 1) / rows
    if extra >= 1:
        return (
            f"Each request ran {queries} queries for {rows} books: one for the list and "
            f"{extra:g} more for every book (median {median:.0f} ms)."
        )
    return (
        f"Each request ran only {queries} queries for {rows} books: the related rows came "
        f"with the list, not one book at a time (median {median:.0f} ms)."
    )
