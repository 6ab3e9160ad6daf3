"""The tests you can read. They serve your shop on PostgreSQL under gunicorn with 20 threads,
each request on its own database connection, with five products: 1 Teapot (50 in stock),
2 Kettle (3), 3 Cup (20), 4 Saucer (20) and 5 Spoon (none left). All at the same moment, 6
buyers buy a teapot, 6 buyers a kettle, and 5 baskets check out: 2 of a cup then a saucer,
2 of a saucer then a cup, and one of a cup and a spoon. Once every request has been answered,
the tests read /report/."""

REQUESTS = [
    *["/buy/1/"] * 6,
    *["/buy/2/"] * 6,
    *["/basket/3/4/", "/basket/4/3/"] * 2,
    "/basket/3/5/",
]


def checkout(project):
    """The run, and /report/ read as {product name: (stock, orders)}."""
    run = project.run(REQUESTS, server="gunicorn", threads=20, tally="/report/")
    assert run.tally is not None and run.tally.status == 200, (
        "/report/ did not answer once the purchases were done; leave report() as it is."
    )
    report = {}
    for line in run.tally.body.splitlines():
        name, numbers = line.split(": ")
        stock, orders = numbers.split(" in stock, ")
        report[name.split(" ", 1)[1]] = (int(stock), int(orders.split()[0]))
    return run, report


def statuses(run, path):
    return sorted(r.status for r in run.requests if r.path == path)


def test_six_buyers_take_six_teapots(project):
    run, report = checkout(project)
    assert statuses(run, "/buy/1/") == [200] * 6, (
        f"The six teapot buyers were answered {statuses(run, '/buy/1/')}; each should be sold "
        "a teapot (200). The server's output says why a request failed."
    )
    assert report["Teapot"][0] == 44, (
        f"Six teapots were sold from 50, and the stock says {report['Teapot'][0]}, not 44: "
        "buyers who read the same stock wrote back the same number."
    )


def test_three_kettles_go_to_three_buyers(project):
    run, report = checkout(project)
    assert statuses(run, "/buy/2/") == [200] * 3 + [409] * 3, (
        f"Six buyers asked for the last 3 kettles and were answered {statuses(run, '/buy/2/')}; "
        "three should get one (200) and three be told they are sold out (409)."
    )
    assert report["Kettle"][0] == 0, f"The kettles' stock ended at {report['Kettle'][0]}, not 0."


def test_every_basket_of_a_cup_and_a_saucer_goes_through(project):
    run, report = checkout(project)
    answered = statuses(run, "/basket/3/4/") + statuses(run, "/basket/4/3/")
    assert sorted(answered) == [200] * 4, (
        f"The four baskets of a cup and a saucer were answered {sorted(answered)}; all four "
        "should go through (200). The server's output says why a basket failed."
    )
    assert report["Cup"][0] == report["Saucer"][0] == 16, (
        f"Four baskets took a cup and a saucer each from 20, and the stock says "
        f"{report['Cup'][0]} cups and {report['Saucer'][0]} saucers, not 16 of each."
    )
