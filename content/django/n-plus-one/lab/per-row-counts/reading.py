"""Reads a run of the per-row count experiment back in one sentence."""


def reading(run: dict) -> str:
    authors = run["parameters"]["rows"]
    counts = sorted({count for count in run["queries"] if count is not None})
    median = sorted(run["batch"])[len(run["batch"]) // 2] * 1000
    if not counts:
        return "No request was answered with a query count; look at the statuses below."
    queries = counts[-1]
    if authors > 1 and queries > authors:
        return (
            f"Counting books for {authors} authors took {queries} queries a request, one more "
            f"for every author (median {median:.0f} ms)."
        )
    return (
        f"Counting books for {authors} author{'s' if authors > 1 else ''} took {queries} "
        f"quer{'y' if queries == 1 else 'ies'} a request (median {median:.0f} ms)."
    )
