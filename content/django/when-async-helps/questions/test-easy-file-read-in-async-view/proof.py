"""Serve one view per line, under one uvicorn worker. REPORT is a named pipe whose writer waits
a second before writing, so reading it blocks for about a second, like a slow disk. Each view
is requested in turn, 1.6 s apart, each followed 0.2 s later by a request to `ping`: if ping is
served at once, the loop was free during the read."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

PLACEHOLDER = "    text = ...  # the line to choose"
LINES = {
    "to_thread": "text = await asyncio.to_thread(REPORT.read_text)",
    "read_text": "text = REPORT.read_text()",
    "await_read_text": "text = await REPORT.read_text()",
}
BASE = code()
assert PLACEHOLDER in BASE
source = "\n".join(
    BASE.replace(PLACEHOLDER, "    " + line).replace("def report(", f"def view_{name}(")
    for name, line in LINES.items()
)
source += """
import os
import tempfile
import threading
import time

from django.urls import path

REPORT = Path(tempfile.mkdtemp()) / "report.txt"
os.mkfifo(REPORT)


def _writer():
    while True:
        with REPORT.open("w") as pipe:  # waits for a reader
            time.sleep(1)
            pipe.write("quarterly report")
        time.sleep(0.3)  # let that reader close before the next one is waited for


threading.Thread(target=_writer, daemon=True).start()


def ping(request):
    return HttpResponse("pong")


urlpatterns = [path("ping/", ping)] + [
"""
source += "".join(f'    path("{name}/", view_{name}),\n' for name in LINES) + "]\n"
requests = []
for n, name in enumerate(LINES):
    requests += [(f"/{name}/", 1.6 * n), ("/ping/", 1.6 * n + 0.2)]
result = run(Site(source), Server("uvicorn"), requests)
facts = {}
for name, view, ping in zip(LINES, result.requests[::2], result.requests[1::2], strict=True):
    assert ping.status == 200, result.stderr
    others = "others served" if ping.seconds < 0.5 else "others wait"
    facts[name] = f"{view.status} {others}"
observe(**facts)
