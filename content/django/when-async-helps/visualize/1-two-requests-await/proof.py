"""Record the order in which two requests start and end, read from the server's stdout."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

result = run(
    Site(code()),
    Server("uvicorn", workers=1),
    [("/view/?who=A", 0), ("/view/?who=B", 0.5)],  # B is sent 0.5 s after A
)
assert all(r.status == 200 for r in result.requests), result.stderr

events = []
for line in result.stdout.splitlines():
    who, _, what = line.strip().partition(" ")
    if who in ("A", "B") and what in ("start", "end"):
        events.append(f"{who.lower()}-{what}")

a, b = result.requests
observe(
    events=events,
    first_done="A" if a.end < b.end else "B",
    after_b_start=events[events.index("b-start") + 1],
    overlapped=events.index("b-start") < events.index("a-end"),
)
