"""A learner's side of the benchmarks: one visitor on one keep-alive connection with a cookie
jar, the CSRF token Django expects on writes, and a valid answer to any question the API shows.
"""

import http.client
import json
import random
from http.client import HTTPMessage
from http.cookies import SimpleCookie
from typing import NamedTuple

from serving import HOST


class Reply(NamedTuple):
    status: int
    headers: HTTPMessage
    body: bytes


class Learner:
    """One visitor. Cookies as a browser keeps them for one host: name -> value, last one wins."""

    def __init__(self, port: int, timeout: float = 30):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)

    @property
    def csrf(self) -> str:
        return self.cookies["csrftoken"]

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Reply:
        """The response, body read; cookies it sets are kept for the next requests."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = self.cookie_header
        if method == "POST" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.csrf
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        reply = Reply(response.status, response.headers, response.read())
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        return reply

    def api(self, method: str, path: str, data=None, expect: int = 200):
        body = None if data is None else json.dumps(data).encode()
        headers = {"Content-Type": "application/json"} if body is not None else {}
        reply = self.request(method, path, body, headers)
        if reply.status != expect:
            raise RuntimeError(
                f"{method} {path} answered {reply.status}, not {expect}: {reply.body[:300]}"
            )
        return json.loads(reply.body)

    def close(self) -> None:
        self.conn.close()


def an_answer(question: dict, rng: random.Random) -> object:
    """A valid answer to a question as the API shows it (no key there): right by chance, like a
    learner's, and never malformed, so the server judges it and records an attempt."""
    ids = [option["id"] for option in question["options"]]
    kind = question["kind"]
    if kind == "single":
        return rng.choice(ids)
    if kind == "multiple":
        return rng.sample(ids, rng.randint(1, len(ids)))
    if kind == "order":
        return rng.sample(ids, len(ids))
    if kind == "short":
        return rng.choice(["yes", "no", "2", "sync_to_async"])
    return {
        blank: rng.choice([o["id"] for o in question["options"] if o.get("blank") == blank])
        for blank in question["blanks"]
    }
