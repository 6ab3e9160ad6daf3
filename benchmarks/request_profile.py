"""Where does one request's time go? A profile of a Challenge answer, or of a page, in-process.

Run by hand from the repository root (about 20 s):

    .venv/bin/python benchmarks/request_profile.py             # a Challenge answer
    .venv/bin/python benchmarks/request_profile.py --top 80    # more functions
    .venv/bin/python benchmarks/request_profile.py --page /patterns/async-django/review/

No server and no network, SQLite in a temporary data folder: Django's test client sends each
request through the whole middleware stack and view, CSRF checked, as a guest learner whose
challenge problems are all shown. An answer is `POST /api/v1/challenges/{id}/problems/{n}/
answer`, each the problem's first (as in challenge_load.py). It prints the CPU time per
request, the same for `GET /api/v1/csrf` as that learner (the middleware, session and user
alone), and cProfile's functions by cumulative CPU time (process time, not wall time: on a
shared machine the wall clock counts other jobs' turns too).
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SLUG = "async-django"
WARMUP = 50
REQUESTS = 300
PROBLEMS = 5


def cpu_ms_per_call(call, times: int) -> float:
    started = time.process_time()
    for _ in range(times):
        call()
    return 1000 * (time.process_time() - started) / times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--top", type=int, default=25, help="functions to print")
    parser.add_argument("--page", help="profile GET of this path instead of an answer")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order: tottime, ...")
    options = parser.parse_args()
    if os.environ.get("DATABASE_URL"):
        sys.exit("request_profile runs on SQLite only: unset DATABASE_URL")
    tmp = tempfile.TemporaryDirectory(prefix="codedrill-profile-")
    os.environ |= {
        "CODEDRILL_DATA_DIR": tmp.name,
        "DJANGO_SETTINGS_MODULE": "codedrill.settings",
        "CHALLENGE_SECONDS": "86400",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    sys.path.insert(0, str(REPO / "benchmarks"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from learner import an_answer

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # pages and error pages need it
    call_command("publish", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    rng = random.Random(1)

    def api(method: str, path: str, data=None, expect: int = 200):
        headers = {"X-CSRFToken": client.cookies["csrftoken"].value} if method == "POST" else {}
        reply = getattr(client, method.lower())(
            path, data, content_type="application/json", headers=headers
        )
        if reply.status_code != expect:
            raise RuntimeError(f"{method} {path}: {reply.status_code} {reply.content[:300]}")
        return reply.json()

    api("GET", "/api/v1/csrf")
    answers = []
    for _ in range((WARMUP + 2 * REQUESTS) // PROBLEMS):
        challenge = api("POST", f"/api/v1/patterns/{SLUG}/challenges", expect=201)
        for n in range(1, PROBLEMS + 1):
            path = f"/api/v1/challenges/{challenge['id']}/problems/{n}"
            answers.append((path + "/answer", {"answer": an_answer(api("GET", path), rng)}))
    rng.shuffle(answers)  # consecutive answers to different challenges, as under load
    pending = iter(answers)

    def answer():
        path, body = next(pending)
        api("POST", path, body)

    def page():
        reply = client.get(options.page)
        if reply.status_code != 200:
            raise RuntimeError(f"GET {options.page}: {reply.status_code}")

    request = page if options.page else answer
    what = f"GET {options.page}" if options.page else "one answer"

    for _ in range(WARMUP):
        request()
    request_ms = cpu_ms_per_call(request, REQUESTS)
    csrf_ms = cpu_ms_per_call(lambda: api("GET", "/api/v1/csrf"), REQUESTS)
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(lambda: [request() for _ in range(REQUESTS)])
    print(f"{what}: {request_ms:.2f} ms CPU, the mean of {REQUESTS}")
    print(f"GET /api/v1/csrf as the learner: {csrf_ms:.2f} ms CPU")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats(options.sort)
    stats.print_stats(options.top)
    print(out.getvalue().split("\n\n", 1)[-1].replace(str(REPO) + "/", ""))
    tmp.cleanup()


if __name__ == "__main__":
    main()
