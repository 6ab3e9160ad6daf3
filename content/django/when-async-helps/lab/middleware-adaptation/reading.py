"""Reads a run of the middleware-adaptation experiment back in one sentence."""


def reading(run: dict) -> str:
    batch = sorted(run["batch"])
    median = batch[len(batch) // 2]
    return (
        f"{run['endpoint']} behind one sync-only and two async-capable middleware on "
        f"{run['server']}: median {median * 1000:.1f} ms, slowest {batch[-1] * 1000:.1f} ms "
        f"for {len(batch)} requests; each reply lists the thread of every layer."
    )
