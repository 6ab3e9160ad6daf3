def test_a_ping_behind_the_status_page_answers_quickly(project):
    run = project.run(["/status/", ("/ping/", 0.1)])
    ping = run.requests[-1]
    assert ping.status == 200, f"/ping/ answered {ping.status}."
    assert ping.seconds < 0.3, (
        f"/ping/ waited {ping.seconds:.2f} s behind /status/: time.sleep holds the event loop."
    )
