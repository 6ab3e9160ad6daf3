"""How long does each learning page take to serve, and how heavy is a Practice page with its assets?

Run by hand from the repository root (about 25 s):

    .venv/bin/python benchmarks/page_speed.py

The server is `codedrill serve` as `make run` starts it, in a temporary CODEDRILL_DATA_DIR
(SQLite, or the DATABASE_URL from the environment). One guest learner, who has answered a
Practice question, asks for every page over one keep-alive connection, one request at a time.
Each page's median must be at most TARGET_MS. Output: Markdown tables on stdout and a JSON
record in benchmarks/out/ (gitignored).
"""

import json
import math
import random
import re
import statistics
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from learner import Learner, an_answer
from serving import (
    CODEDRILL_SERVE,
    HOST,
    OUT,
    REPO,
    cpu_seconds,
    cpu_shares,
    free_port,
    prepared,
    run_facts,
    running,
    save,
    server_env,
    server_facts,
    versions,
)

SLUG = "async-django"
MODES = ["learn", "why", "visualize", "try", "deep-dive", "review", "practice"]
PAGES = [
    f"/patterns/{SLUG}/",
    *(f"/patterns/{SLUG}/{mode}/" for mode in MODES),
    *(f"/patterns/{SLUG}/{mode}/1/" for mode in ("practice", "try", "review")),
    f"/patterns/{SLUG}/challenge/",
    f"/patterns/{SLUG}/test/",
]
PRACTICE = f"/patterns/{SLUG}/practice/1/"
WARMUP = 20  # per page, on the measuring connection: templates, queries and caches warm
REQUESTS = 200
TARGET_MS = 5  # every page's median server time at most this
# The Practice page with everything it loads, HTML included.
BUDGET_BYTES = 60_000
BUDGET_REQUESTS = 5
# What browsers send; WhiteNoise then answers with a precompressed file when it has one.
SERVED = {"Accept-Encoding": "gzip, br"}
IDENTITY = {"Accept-Encoding": "identity"}
LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class Subresources(HTMLParser):
    """What a browser fetches to show the page: stylesheets, scripts, images and icons."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "link" and a.get("href"):
            rels = set(a.get("rel", "").lower().split()) & LINK_RELS
            if rels:
                kind = "icon" if rels & {"icon", "shortcut", "apple-touch-icon"} else min(rels)
                self.found.append((kind, a["href"]))
        elif tag in ("script", "img", "source", "iframe") and a.get("src"):
            self.found.append((tag, a["src"]))


def percentile(ordered: list[float], p: float) -> float:
    """Nearest rank: the value p% of the samples are at or below."""
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def sign_in_as_guest(learner: Learner) -> None:
    """Answer Practice question 1 over the API, with CSRF, as a visitor's first write does:
    the server makes a guest learner and sets the session cookie the pages then render for."""
    learner.api("GET", "/api/v1/csrf")
    practice = learner.api("GET", f"/api/v1/patterns/{SLUG}/modes/practice")
    first = practice["questions"][0]  # the question of PRACTICE
    answer = {"answer": an_answer(first, random.Random(1))}
    learner.api("POST", f"/api/v1/questions/{first['id']}/check", answer)
    if "sessionid" not in learner.cookies:
        raise RuntimeError("the practice answer set no session cookie")


def time_page(learner: Learner, path: str, pgid: int) -> dict:
    first = learner.request("GET", path, headers=IDENTITY)
    if first.status != 200 and not 300 <= first.status < 400:
        raise RuntimeError(f"GET {path} answered {first.status}")
    for _ in range(WARMUP):
        learner.request("GET", path, headers=IDENTITY)
    seconds = []
    before, started = cpu_seconds(pgid), time.perf_counter()
    for _ in range(REQUESTS):
        start = time.perf_counter()
        reply = learner.request("GET", path, headers=IDENTITY)
        seconds.append(time.perf_counter() - start)
        if reply.status != first.status:
            raise RuntimeError(f"GET {path} answered {reply.status}, first {first.status}")
    cpu = cpu_shares(before, cpu_seconds(pgid), REQUESTS, time.perf_counter() - started)
    seconds.sort()
    return {
        "path": path,
        "status": first.status,
        "location": first.headers.get("Location"),
        "median_ms": 1000 * statistics.median(seconds),
        "p90_ms": 1000 * percentile(seconds, 90),
        "html_bytes": len(reply.body),
        **cpu,
    }


def fetch(learner: Learner, kind: str, path: str) -> dict:
    plain = learner.request("GET", path, headers=IDENTITY)
    served = learner.request("GET", path, headers=SERVED)
    if plain.status != 200 or served.status != 200:
        raise RuntimeError(f"GET {path} answered {plain.status}/{served.status}")
    return {
        "kind": kind,
        "path": path,
        "bytes": len(plain.body),
        "served_bytes": len(served.body),
        "encoding": served.headers.get("Content-Encoding", "none"),
        "cache_control": served.headers.get("Cache-Control", ""),
        "body": plain.body,
    }


def page_weight(learner: Learner, port: int) -> dict:
    """The Practice page and every subresource it (and its stylesheets) references."""
    origin = f"http://{HOST}:{port}"
    page = fetch(learner, "html", PRACTICE)
    parser = Subresources()
    parser.feed(page["body"].decode())
    queue = [(kind, urljoin(origin + PRACTICE, url)) for kind, url in parser.found]
    fetched, seen = [page], {PRACTICE}
    while queue:
        kind, url = queue.pop(0)
        parts = urlsplit(url)
        if parts.scheme == "data":
            continue
        if f"{parts.scheme}://{parts.netloc}" != origin:
            raise RuntimeError(f"{PRACTICE} loads a third-party resource: {url}")
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen:
            continue
        seen.add(path)
        item = fetch(learner, kind, path)
        fetched.append(item)
        if path.endswith(".css"):  # fonts, images and imports a stylesheet pulls in
            for match in CSS_URL.finditer(item["body"].decode()):
                queue.append(("css ref", urljoin(url, match.group(1) or match.group(2))))
    for item in fetched:
        del item["body"]
    total = sum(item["bytes"] for item in fetched)
    declares_icon = any(kind == "icon" for kind, _url in parser.found)
    return {
        "requests": fetched,
        "total_bytes": total,
        "total_served_bytes": sum(item["served_bytes"] for item in fetched),
        "passes": total <= BUDGET_BYTES and len(fetched) <= BUDGET_REQUESTS,
        # Without an icon link a browser asks for /favicon.ico anyway.
        "favicon_status": None if declares_icon else learner.request("GET", "/favicon.ico").status,
    }


def tables(pages: list[dict], weight: dict) -> str:
    lines = [
        "| page | status | median ms | p90 ms | server CPU ms/req | HTML bytes | other CPU % |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for p in pages:
        lines.append(
            f"| `{p['path']}` | {p['status']} | {p['median_ms']:.1f} | {p['p90_ms']:.1f} "
            f"| {p['server_cpu_ms_per_req']:.1f} | {p['html_bytes']} | {p['other_cpu_pct']:.0f} |"
        )
    lines += [
        "",
        "| request | kind | uncompressed bytes | bytes as served | encoding |",
        "|---|---|--:|--:|---|",
    ]
    for r in weight["requests"]:
        lines.append(
            f"| `{r['path']}` | {r['kind']} | {r['bytes']} | {r['served_bytes']} "
            f"| {r['encoding']} |"
        )
    lines.append(
        f"| **total: {len(weight['requests'])} requests** | | **{weight['total_bytes']}** "
        f"| **{weight['total_served_bytes']}** | |"
    )
    return "\n".join(lines)


def main() -> None:
    started = time.monotonic()
    knobs = run_facts() | {
        "pages": PAGES,
        "warmup_per_page": WARMUP,
        "requests_per_page": REQUESTS,
        "client": "python http.client, 1 keep-alive connection, 1 request at a time",
        "learner": "a guest who answered Practice question 1 over the API",
        "budget": f"<= {BUDGET_BYTES} bytes uncompressed in <= {BUDGET_REQUESTS} requests",
        "versions": versions(("django", "granian", "whitenoise")),
    }
    with tempfile.TemporaryDirectory(prefix="codedrill-bench-") as name:
        port = free_port()
        env = server_env(port, CODEDRILL_DATA_DIR=str(Path(name) / "data"))
        log = OUT / "page_speed-server.log"
        with prepared(env) as env, running(CODEDRILL_SERVE, env, log, PAGES[0]) as proc:
            knobs |= server_facts(env)
            print(json.dumps(knobs, indent=2), flush=True)
            learner = Learner(port)
            sign_in_as_guest(learner)
            pages = []
            for path in PAGES:
                print(f"timing {path} ...", flush=True)
                pages.append(time_page(learner, path, proc.pid))
                if pages[-1]["location"]:  # a redirect: time the page it leads to as well
                    target = urlsplit(urljoin(path, pages[-1]["location"])).path
                    pages.append(time_page(learner, target, proc.pid))
            weight = page_weight(learner, port)
            learner.close()
    print()
    print(tables(pages, weight))
    verdict = "PASS" if weight["passes"] else "FAIL"
    print(
        f"\nPractice page budget (<= {BUDGET_BYTES} bytes uncompressed in <= {BUDGET_REQUESTS} "
        f"requests): {weight['total_bytes']} bytes in {len(weight['requests'])} requests: "
        f"{verdict}"
    )
    if weight["favicon_status"] is not None:
        print(
            f"no icon link: browsers also ask for /favicon.ico, answered {weight['favicon_status']}"
        )
    slow = [p for p in pages if p["median_ms"] > TARGET_MS]
    verdict = "FAIL" if slow else "PASS"
    print(f"{verdict}  every page's median <= {TARGET_MS} ms", end="")
    print(": " + ", ".join(f"{p['path']} {p['median_ms']:.1f} ms" for p in slow) if slow else "")
    print(f"total run time: {time.monotonic() - started:.0f} s")
    checks = {"budget": weight["passes"], f"median <= {TARGET_MS} ms": not slow}
    record = save(
        "page_speed", {"knobs": knobs, "pages": pages, "practice_weight": weight, "checks": checks}
    )
    print(f"recorded in {record.relative_to(REPO)}")


if __name__ == "__main__":
    main()
