"""Reads a run of the blocking-call experiment back in one sentence."""


def reading(run: dict) -> str:
    delay = run["parameters"]["delay"]
    slowest = max(run["batch"])
    probe = run["probe"]
    if run["endpoint"] == "/ping/":
        return f"Nothing blocked, so every /ping/ answered within {slowest:.2f} s."
    if probe is None:
        return f"The batch took {run['wall']:.1f} s."
    if probe > delay:
        return (
            f"The quick /ping/ waited {probe:.1f} s, {probe / delay:.1f} times the delay: "
            f"{run['endpoint']} held the event loop, so no other request could start."
        )
    return (
        f"The quick /ping/ answered in {probe * 1000:.0f} ms while the batch waited up to "
        f"{slowest:.1f} s: {run['endpoint']} left the event loop free."
    )
