"""Every sale has its order, and only sales do; the answers stay as they were."""

REQUESTS = [
    *["/buy/1/"] * 6,
    *["/buy/2/"] * 6,
    *["/basket/3/4/", "/basket/4/3/"] * 2,
    "/basket/3/5/",
]


def checkout(project):
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


def answers(run, path, status):
    return [r.body for r in run.requests if r.path == path and r.status == status]


def test_each_teapot_sold_answers_sold_and_has_one_order(project):
    run, report = checkout(project)
    sold = answers(run, "/buy/1/", 200)
    assert set(sold) <= {"sold"}, f"A teapot sold should answer `sold`, as before: {set(sold)}."
    assert report["Teapot"][1] == len(sold), (
        f"{len(sold)} teapots were sold and {report['Teapot'][1]} orders written: each sale "
        "needs its one order."
    )


def test_a_buyer_turned_away_gets_no_order(project):
    run, report = checkout(project)
    turned_away = answers(run, "/buy/2/", 409)
    assert set(turned_away) <= {"Kettle: sold out"}, (
        f"A buyer who finds no kettle left should be answered `Kettle: sold out`, as before: "
        f"{set(turned_away)}."
    )
    sold = len(answers(run, "/buy/2/", 200))
    assert report["Kettle"][1] == sold, (
        f"{sold} kettles were sold and {report['Kettle'][1]} orders written: an order must be "
        "written for each kettle sold, and only for those."
    )


def test_a_basket_with_a_sold_out_item_sells_nothing(project):
    run, report = checkout(project)
    answered = [r.status for r in run.requests if r.path == "/basket/3/5/"]
    assert answered == [409], (
        f"A basket of a cup and a spoon, with no spoon left, was answered {answered}, not 409."
    )
    baskets = len(answers(run, "/basket/3/4/", 200) + answers(run, "/basket/4/3/", 200))
    assert report["Cup"] == (20 - baskets, baskets) and report["Spoon"][1] == 0, (
        "A basket that cannot be sold whole must sell nothing: no order, and its cup put back."
    )
