def test_the_status_page_still_waits_for_its_check(project):
    run = project.run(["/status/", ("/ping/", 0.1)])
    page = run.requests[0]
    assert page.status == 200, f"/status/ answered {page.status}."
    assert page.seconds >= 0.45, (
        f"/status/ answered in {page.seconds:.2f} s: it no longer waits for the upstream check."
    )
