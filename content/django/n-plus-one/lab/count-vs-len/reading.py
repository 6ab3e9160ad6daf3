"""Reads a run of the .count() and len() experiment back in one sentence."""


def reading(run: dict) -> str:
    rows = run["parameters"]["rows"]
    queries = sorted({q for q in run["queries"] if q is not None})
    if len(queries) != 1:
        return f"The requests ran {queries or 'no counted'} queries; look at each one below."
    ran = "1 query" if queries == [1] else f"{queries[0]} queries"
    books = "1 book" if rows == 1 else f"{rows} books"
    return (
        f"With {books} in the table, {run['endpoint']} ran {ran} a request, and the median "
        f"request took {run['median'] * 1000:.0f} ms."
    )
