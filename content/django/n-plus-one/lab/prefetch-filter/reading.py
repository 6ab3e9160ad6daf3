"""Reads a run of the prefetch-and-filter experiment back in one sentence."""


def reading(run: dict) -> str:
    authors = run["parameters"]["rows"]
    counts = sorted({count for count in run["queries"] if count is not None})
    median = sorted(run["batch"])[len(run["batch"]) // 2] * 1000
    if not counts:
        return "No request was answered with a query count; look at the statuses below."
    queries = counts[-1]
    beyond_prefetch = queries - 2
    listed = "1 author" if authors == 1 else f"{authors} authors"
    if beyond_prefetch > 0:
        return (
            f"Each request ran {queries} queries for {listed}: the list, the "
            f"prefetch, and {beyond_prefetch} more that the prefetch did not save "
            f"(median {median:.0f} ms)."
        )
    return (
        f"Each request ran {queries} queries for {listed}: the list and the "
        f"prefetch, nothing per author (median {median:.0f} ms)."
    )
