"""Reads a run of the CPU-bound experiment back in one sentence."""


def reading(run: dict) -> str:
    work = run["parameters"]["work"]
    count = len(run["batch"])
    probe = run["probe"]
    if run["endpoint"] == "/fast/":
        return f"With no work to do, every /fast/ answered within {max(run['batch']):.2f} s."
    ratio = run["wall"] / (count * work)
    how = "one at a time" if ratio > 0.8 else "partly side by side"
    story = (
        f"{count} requests of {work:g} s of computing took {run['wall']:.1f} s in all, "
        f"{ratio:.1f} times their work added up: the server computed them {how}"
    )
    if probe is not None:
        story += f", and the quick /fast/ waited {probe:.1f} s"
    return story + "."
