import re

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("users/", users)]\n',
    database=True,
    # CONN_MAX_AGE is a key of the database entry, not a top-level setting.
    database_options=(("CONN_MAX_AGE", 600),),
)


def opened_after_five(server):
    result = run(site, server, ["/users/"] * 5, concurrency=1)
    last = result.requests[-1]  # sent one at a time, in order
    assert last.status == 200, last
    return int(re.search(r"connections opened=(\d+)$", last.body).group(1))


observe(
    uvicorn_opened=opened_after_five(Server("uvicorn", workers=1)),
    gunicorn_opened=opened_after_five(Server("gunicorn", workers=1, threads=1)),
)
