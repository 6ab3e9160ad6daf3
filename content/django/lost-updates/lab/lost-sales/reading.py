"""Reads a run of the lost-sales experiment back in one sentence."""

STOCK = 100  # the teapots site.py's seed() puts in stock


def reading(run: dict) -> str:
    buyers = len(run["statuses"])
    sold = run["statuses"].count(200)
    left = run["tally"]
    if left is None:
        return "The stock could not be read after the run; look at the statuses below."
    gone = STOCK - left
    if buyers == 1:
        told = "The one buyer was told" if sold else "The one buyer was not told"
    elif sold == buyers:
        told = f"All {buyers} buyers were told"
    else:
        told = f"{sold} of {buyers} buyers were told"
    if sold > gone:
        return (
            f"{told} their teapot was sold, but the stock fell by only {gone}, to {left}: "
            f"{sold - gone} sale{'s were' if sold - gone > 1 else ' was'} lost, written over "
            "by buyers who had read the same stock."
        )
    return (
        f"{told} their teapot was sold, and the stock fell by exactly {gone}, to {left}: "
        f"no sale was lost (the whole run took {run['wall']:.1f} s)."
    )
