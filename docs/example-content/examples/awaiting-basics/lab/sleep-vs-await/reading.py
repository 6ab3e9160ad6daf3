"""reading(run) puts one measured run into a sentence for the learner. The lab calls it in the
sandbox with the run's facts: `server`, `endpoint`, `parameters` (every value, defaults
included), `batch` (each batch request's seconds, in the order sent), `statuses`, `probe` (the
probe request's seconds, or None), `wall`, `warnings` (warning lines the server printed) and
`errors` (exception names from the server's tracebacks)."""


def reading(run: dict) -> str:
    delay = run["parameters"]["delay"]
    waits = run["wall"] / delay
    how = "overlapped" if waits < len(run["batch"]) * 0.75 else "ran one after another"
    return (
        f"{len(run['batch'])} requests of {delay:g} s took {run['wall']:.1f} s, "
        f"{waits:.1f} times one wait: they {how}."
    )
