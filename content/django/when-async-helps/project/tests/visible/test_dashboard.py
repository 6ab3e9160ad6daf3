"""The tests you can read. Each starts your code under a real server (uvicorn, one worker,
Django's default middleware) and times real requests to it."""

TIMER = ["middleware.RequestTimer"]


def test_the_timer_middleware_serves_under_uvicorn(project):
    run = project.run(["/ping/"], middleware=TIMER)
    ping = run.requests[0]
    assert ping.status == 200, (
        f"/ping/ answered {ping.status} with RequestTimer in the stack: Django took the "
        "middleware for a sync one and got a coroutine back instead of a response. Declare "
        "what the middleware is."
    )
    assert "server-timing" in ping.headers, "The response has no Server-Timing header."


def test_the_dashboard_answers_in_about_one_second(project):
    run = project.run(["/dashboard/"] * 3)
    for request in run.requests:
        assert request.status == 200, f"/dashboard/ answered {request.status}."
        assert request.seconds < 1.6, (
            f"/dashboard/ took {request.seconds:.1f} s. Each service takes 1 s; called one "
            "after another, three take 3 s. Start all three, then wait for them together."
        )


def test_a_ping_is_not_held_behind_the_report(project):
    run = project.run(["/report/"] * 3 + [("/ping/", 0.3)])
    ping = run.requests[-1]
    assert ping.status == 200, f"/ping/ answered {ping.status}."
    assert ping.seconds < 0.5, (
        f"/ping/, sent 0.3 s after three /report/ requests, waited {ping.seconds:.1f} s. "
        "The report's blocking read holds the event loop, and every request on the worker "
        "waits for it. Run the blocking call somewhere else."
    )
