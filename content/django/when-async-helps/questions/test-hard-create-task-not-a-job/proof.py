"""On each server: one request to notify_all, then, 4 s later, one to sent_count. The server
keeps running the whole time; the tasks would need about 3 s."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code()
    + "\nfrom django.urls import path\n"
    + 'urlpatterns = [path("notify/", notify_all), path("sent/", sent_count)]\n'
)


def sent_after_four_seconds(server):
    result = run(site, server, ["/notify/", ("/sent/", 4.0)])
    notify, count = result.requests
    if notify.status != 200:
        return f"status {notify.status}"
    assert notify.body == "queued" and notify.seconds < 0.5, (notify, result.stderr)
    assert count.status == 200, result.stderr
    return int(count.body)


observe(
    uvicorn=sent_after_four_seconds(Server("uvicorn", workers=1)),
    gunicorn=sent_after_four_seconds(Server("gunicorn", workers=1, threads=1)),
)
