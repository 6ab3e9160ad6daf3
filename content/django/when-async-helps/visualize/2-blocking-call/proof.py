"""Record the order in which two requests start and end, read from the server's stdout."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, about_seconds, run

result = run(
    Site(code()),
    Server("uvicorn", workers=1),
    [("/view/?who=A", 0), ("/view/?who=B", 0.2)],  # B is sent 0.2 s after A
)
assert all(r.status == 200 for r in result.requests), result.stderr

events = []
for line in result.stdout.splitlines():
    who, _, what = line.strip().partition(" ")
    if who in ("A", "B") and what in ("start", "end"):
        events.append(f"{who.lower()}-{what}")

observe(
    events=events,
    # Which view ends first, from its own lines. Not which response arrives first: after A's
    # view returns, the loop may start B's blocking view before A's answer is sent.
    first_view_done="A" if events.index("a-end") < events.index("b-end") else "B",
    seconds=about_seconds(result.wall),
    overlapped=events.index("b-start") < events.index("a-end"),
)
