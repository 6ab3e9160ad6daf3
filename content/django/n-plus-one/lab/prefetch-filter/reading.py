"""Reads a run of the prefetch-and-filter experiment back in one sentence."""


def reading(run: dict) -> str:
    listed = f"{run['parameters']['rows']} author{'s' if run['parameters']['rows'] > 1 else ''}"
    if not all(isinstance(q, int) for q in run["queries"]):
        return "Some requests were not answered with a query count; look at the statuses below."
    beyond_prefetch = max(run["queries"]) - 2  # the list and the prefetch are 2
    if beyond_prefetch > 0:
        return (
            f"Each request ran {beyond_prefetch + 2} queries for {listed}: the list, the "
            f"prefetch, and {beyond_prefetch} more that the prefetch did not save."
        )
    return (
        f"Each request ran {beyond_prefetch + 2} queries for {listed}: the list and the "
        f"prefetch, nothing per author (median {run['median'] * 1000:.0f} ms)."
    )
