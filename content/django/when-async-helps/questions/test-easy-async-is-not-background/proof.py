from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, about_seconds, run

site = Site(
    code()
    + "\nfrom django.urls import path\n"
    + 'urlpatterns = [path("notify/", notify_all), path("ping/", ping)]\n'
)
result = run(site, Server("uvicorn", workers=1), ["/notify/", ("/ping/", 0.5)])
click, ping = result.requests
assert click.body == "sent" and ping.body == "pong", (click, ping)
observe(click_seconds=about_seconds(click.seconds), ping_seconds=about_seconds(ping.seconds))
