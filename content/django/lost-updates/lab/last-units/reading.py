"""Reads a run of the last-units experiment back in one sentence."""

STOCK = 5  # the teapots site.py's seed() leaves in stock


def reading(run: dict) -> str:
    statuses = run["statuses"]
    sold, sold_out = statuses.count(200), statuses.count(409)
    left = run["tally"]
    if left is None:
        return "The stock could not be read after the run; look at the statuses below."
    buyers = len(statuses)
    if buyers == 1:
        told = "The one buyer was told " + ("they had a teapot" if sold else "it was sold out")
        return f"{told}; the stock ended at {left}."
    who = f"All {buyers}" if sold == buyers else f"{sold} of {buyers}"
    told = f"{who} buyers {'was' if sold == 1 else 'were'} told they had a teapot"
    if left < 0:
        return (
            f"{told}, from {STOCK} in stock: the stock ended at {left}, so {-left} teapot"
            f"{'s were' if left < -1 else ' was'} sold that did not exist. Each buyer checked "
            "the stock before the others had taken theirs."
        )
    if sold_out:
        return (
            f"{told} and {sold_out} that they were sold out (409); the stock ended at {left}, "
            f"never below zero, and the last buyer was answered after {max(run['batch']):.2f} s."
        )
    return f"{told}; the stock ended at {left}, with no buyer turned away."
