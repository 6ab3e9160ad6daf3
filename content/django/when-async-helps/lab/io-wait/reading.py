"""Reads a run of the I/O-wait experiment back in one sentence."""


def reading(run: dict) -> str:
    delay = run["parameters"]["delay"]
    count = len(run["batch"])
    rounds = run["wall"] / delay
    overlap = "overlapped" if rounds < count * 0.75 else "ran one after another"
    return (
        f"{count} requests that each wait {delay:g} s took {run['wall']:.1f} s in all, "
        f"{rounds:.1f} times one wait: on {run['server']} with this setup they {overlap}."
    )
