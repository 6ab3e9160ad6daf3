import json

TIMER = ["middleware.RequestTimer"]


def test_the_timer_middleware_serves_under_gunicorn(project):
    run = project.run(["/ping/"], server="gunicorn", middleware=TIMER)
    ping = run.requests[0]
    assert ping.status == 200, (
        f"Under gunicorn (WSGI) /ping/ answered {ping.status}. A middleware that can also run "
        "synchronously is called synchronously there; an async-only one must say it cannot."
    )
    assert "server-timing" in ping.headers, "Under gunicorn the Server-Timing header is missing."


def test_the_panels_keep_their_order(project):
    run = project.run(["/dashboard/"] * 3)
    services = [panel["service"] for panel in json.loads(run.requests[0].body)["panels"]]
    assert services == ["orders", "stock", "weather"], (
        f"The panels came back as {services}; the page expects orders, stock, weather."
    )


def test_three_reports_are_read_side_by_side(project):
    run = project.run(["/report/"] * 3 + [("/ping/", 0.3)])
    reports = run.requests[:3]
    assert all(r.status == 200 for r in reports), "A /report/ request failed."
    slowest = max(r.seconds for r in reports)
    assert slowest < 1.8, (
        f"Three reports asked at once took {slowest:.1f} s: they were read one at a time."
    )
