"""Call Django's ASGI handler, the application uvicorn calls, with one GET request, and record
when each part of the body is sent and whether Django warned."""

import asyncio
import time
import warnings

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Site, about_seconds, configure

configure(
    Site(code() + '\nfrom django.urls import path\nurlpatterns = [path("progress/", progress)]\n')
)

from django.core.asgi import get_asgi_application  # noqa: E402

application = get_asgi_application()
SCOPE = {
    "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
    "scheme": "http", "path": "/progress/", "raw_path": b"/progress/", "query_string": b"",
    "root_path": "", "headers": [(b"host", b"127.0.0.1")],
    "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
}  # fmt: skip


async def main():
    started = time.perf_counter()
    parts, status = [], None
    never = asyncio.Event()
    messages = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if messages:
            return messages.pop()
        await never.wait()  # the client stays connected

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body" and message.get("body"):
            parts.append((about_seconds(time.perf_counter() - started), message["body"].decode()))

    await application(SCOPE, receive, send)
    return status, parts


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    status, parts = asyncio.run(main())
text = "".join(body for _, body in parts)
observe(
    status=status,
    first_line_at=parts[0][0] if parts else None,
    complete=text == "step 1 done\nstep 2 done\nstep 3 done\n",
    warned=any("must consume synchronous iterators" in str(w.message) for w in caught),
    sends=[seconds for seconds, _ in parts],
)
