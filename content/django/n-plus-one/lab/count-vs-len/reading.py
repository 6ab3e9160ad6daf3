"""Reads a run of the .count() and len() experiment back in one sentence."""


def reading(run: dict) -> str:
    rows = run["parameters"]["rows"]
    counts = sorted({count for count in run["queries"] if count is not None})
    median = sorted(run["batch"])[len(run["batch"]) // 2] * 1000
    if not counts:
        return "No request was answered with a query count; look at the statuses below."
    queries = counts[-1]
    ran = "1 query" if queries == 1 else f"{queries} queries"
    books = "1 book" if rows == 1 else f"{rows} books"
    return (
        f"With {books} in the table, {run['endpoint']} ran {ran} a request, and the median "
        f"request took {median:.0f} ms."
    )
