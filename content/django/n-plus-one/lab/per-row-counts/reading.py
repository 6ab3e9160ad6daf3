"""Reads a run of the per-row count experiment back in one sentence."""


def reading(run: dict) -> str:
    authors = run["parameters"]["rows"]
    most = max((q for q in run["queries"] if q is not None), default=None)
    if most is None:
        return "No request was answered with a query count; look at the statuses below."
    if authors > 1 and most > authors:
        return (
            f"Counting books for {authors} authors took {most} queries a request, one more "
            f"for every author (median {run['median'] * 1000:.0f} ms)."
        )
    listed = "1 author" if authors == 1 else f"{authors} authors"
    return f"Counting books for {listed} took {most} quer{'y' if most == 1 else 'ies'} a request."
