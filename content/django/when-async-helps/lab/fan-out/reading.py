"""Reads a run of the fan-out experiment back in one sentence."""


def reading(run: dict) -> str:
    delay = run["parameters"]["delay"]
    fastest = min(run["batch"])
    calls = fastest / delay
    how = "one after another" if run["endpoint"] == "/sequential/" else "together"
    return (
        f"Each request made three upstream calls of {delay:g} s {how} and took at least "
        f"{fastest:.2f} s, about {calls:.1f} times one call."
    )
