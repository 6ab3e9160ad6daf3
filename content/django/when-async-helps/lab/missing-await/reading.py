"""Reads a run of the missing-await experiment back in one sentence."""


def reading(run: dict) -> str:
    delay = run["parameters"]["delay"]
    slowest = max(run["batch"])
    if run["endpoint"] == "/missing-await/":
        return (
            f"Every request answered within {slowest * 1000:.0f} ms instead of waiting "
            f"{delay:g} s: the sleep was never run. The server printed "
            f"{run['warnings']} warning line(s) for {len(run['batch'])} requests."
        )
    return f"Awaited, each request waited its {delay:g} s: the slowest took {slowest:.2f} s."
