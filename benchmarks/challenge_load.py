"""How many Challenge answers per second does codedrill judge with 64 learners answering at once?

Run by hand from the repository root (about 65 s; wrk must be installed):

    .venv/bin/python benchmarks/challenge_load.py                        # SQLite
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/challenge_load.py

The server is `codedrill serve` as `make run` starts it, in a temporary CODEDRILL_DATA_DIR, with
CHALLENGE_SECONDS large enough that no clock runs out. Setup makes LEARNERS guest learners over
the API and, for each, enough started challenges that every request of the load is one new
attempt judged and recorded: for the warm-up at WARMUP_RATE, then for the measured run at
HEADROOM times the rate the warm-up reached. wrk sends those answers at the same concurrency to
codedrill and to the ceiling (a bare ASGI app under uvicorn, 1 worker). Output: a Markdown
table on stdout and a JSON record in benchmarks/out/ (gitignored).
"""

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from learner import Learner, an_answer
from serving import (
    ASGI_HELLO,
    CODEDRILL_SERVE,
    OUT,
    REPO,
    WRK,
    WRK_REPORT,
    cpu_seconds,
    cpu_shares,
    django_shell,
    free_port,
    prepared,
    pythonpath,
    run_facts,
    running,
    save,
    served_by,
    server_env,
    server_facts,
    uvicorn,
    versions,
    wrk,
)

SLUG = "async-django"
SQL_TIMINGS = Path(__file__).resolve().parent / "sql_timings"
LEARNERS = 64  # and as many wrk connections; consecutive requests come from different learners
WARMUP_S = 2
DURATION_S = 10
# Answers prepared per second of warm-up; a faster server's surplus warm-up requests go to a
# path that answers 404, which the warm-up ignores.
WARMUP_RATE = 500
# The measured run gets answers for this many times the rate the warm-up reached (at least
# WARMUP_RATE), so a server faster than WARMUP_RATE does not run out (it once served 620/s and
# reported 11,266 404s as errors). Running out is reported.
HEADROOM = 2
SETUP_CLIENTS = 8  # learners set up at a time
PROBLEMS = 5  # per challenge; each problem takes one answer here (a wrong one leaves one more)
CHALLENGE_SECONDS = 86400  # no problem's clock runs out during a run
TARGET_RATIO = {"sqlite": 0.05, "postgresql": 0.03}  # by Django's database vendor
TARGET_TAIL = 2  # p99 at most this many times p50
# How many of the problems in the JSON file {path} ([[challenge id, n], ...]) have an answer.
RECORDED = (
    "import json; from codedrill.attempts.models import ChallengeProblem as P; "
    "sent = {{tuple(p) for p in json.load(open({path!r}))}}; "
    "answered = P.objects.filter(answered_at__isnull=False); "
    "print(sum(p in sent for p in answered.values_list('challenge_id', 'position')))"
)

# Each request is the next line of the file named by the first argument: "path\tcookie\tcsrf\t
# body", formatted once in init(). The list is used once ("once": past its end, requests go to
# a path that answers 404) or cycled ("wrap", for the ceiling, which ignores what it is sent).
ANSWERS_LUA = """\
local requests, i, wrap = {}, 0, false

init = function(args)
  for line in io.lines(args[1]) do
    local path, cookie, csrf, body = line:match("^([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)\\t(.*)$")
    requests[#requests + 1] = wrk.format("POST", path, {
      ["Cookie"] = cookie, ["X-CSRFToken"] = csrf, ["Content-Type"] = "application/json",
    }, body)
  end
  wrap = args[2] == "wrap"
end

request = function()
  i = i + 1
  if i > #requests then
    if not wrap then return wrk.format("GET", "/api/v1/benchmark-ran-out-of-answers") end
    i = 1
  end
  return requests[i]
end
"""


def set_up_learner(port: int, challenges: int, seed: int) -> list[str]:
    """A new guest with `challenges` challenges whose problems are all shown (clocks started):
    one answer line per problem, each answer valid and the problem's first."""
    rng = random.Random(seed)
    learner = Learner(port)
    learner.api("GET", "/api/v1/csrf")
    lines = []
    for _ in range(challenges):
        # The first one makes the visitor a guest: a new session and CSRF token.
        challenge = learner.api("POST", f"/api/v1/patterns/{SLUG}/challenges", expect=201)
        for n in range(1, PROBLEMS + 1):
            path = f"/api/v1/challenges/{challenge['id']}/problems/{n}"
            problem = learner.api("GET", path)
            body = json.dumps({"answer": an_answer(problem, rng)})
            lines.append((path + "/answer", body))
    learner.close()
    cookie = f"sessionid={learner.cookies['sessionid']}; csrftoken={learner.csrf}"
    return [f"{path}\t{cookie}\t{learner.csrf}\t{body}" for path, body in lines]


def set_up(port: int, answers: int) -> list[str]:
    """`answers` answer lines, interleaved so consecutive requests come from different learners."""
    challenges = math.ceil(answers / LEARNERS / PROBLEMS)
    pool = ThreadPoolExecutor(SETUP_CLIENTS)
    try:
        per_learner = list(pool.map(lambda s: set_up_learner(port, challenges, s), range(LEARNERS)))
    finally:
        pool.shutdown(cancel_futures=True)  # on Ctrl-C, stop setting up the learners not started
    return [line for turn in zip(*per_learner, strict=True) for line in turn]


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def write_problems(path: Path, lines: list[str]) -> Path:
    """The answers' problems as [[challenge id, n], ...], to count which got recorded."""
    # A line starts with /api/v1/challenges/{id}/problems/{n}/answer.
    problems = [line.split("/")[4:7:2] for line in lines]
    path.write_text(json.dumps([[int(c), int(n)] for c, n in problems]))
    return path


def sql_summary(folder: Path, start: float, end: float, answers: int) -> list[dict]:
    """Per statement kind, over the measured run: count per answer and how long it took."""
    by_kind: dict[str, list[float]] = {}
    for dump in folder.glob("*.json"):
        for when, kind, seconds in json.loads(dump.read_text()):
            if start <= when <= end:
                by_kind.setdefault(kind, []).append(seconds)
    rows = []
    for kind, seconds in sorted(by_kind.items()):
        seconds.sort()
        rows.append(
            {
                "kind": kind,
                "per_answer": len(seconds) / answers,
                "mean_ms": 1000 * statistics.fmean(seconds),
                "p50_ms": 1000 * statistics.median(seconds),
                "p99_ms": 1000 * seconds[math.ceil(0.99 * len(seconds)) - 1],
                "max_ms": 1000 * seconds[-1],
                "total_s": sum(seconds),
            }
        )
    return rows


def measure_codedrill(tmp: Path, script: Path, sql_timings: bool) -> tuple[dict, dict, Path]:
    """The load result, facts about the run, and the measured answers (the ceiling gets them)."""
    port = free_port()
    env = server_env(
        port, CODEDRILL_DATA_DIR=str(tmp / "data"), CHALLENGE_SECONDS=str(CHALLENGE_SECONDS)
    )
    with prepared(env) as env:
        server = env
        if sql_timings:  # the server only: not the setup commands nor the shells that count
            (tmp / "sql").mkdir()
            timings = {"PYTHONPATH": pythonpath(SQL_TIMINGS), "SQL_TIMINGS_DIR": str(tmp / "sql")}
            server = env | timings
        log = OUT / "challenge_load-codedrill.log"
        with running(CODEDRILL_SERVE, server, log, f"/patterns/{SLUG}/") as proc:
            # Warm-up and measured answers are set up apart, so no answer is ever sent twice.
            warm = write_lines(tmp / "warmup.tsv", set_up(port, WARMUP_RATE * WARMUP_S))
            warmup = wrk(port, "/", LEARNERS, WARMUP_S, script, (str(warm), "once"))
            done = warmup["requests"] - warmup["non2xx"]
            answered = warmup["rps"] * done / warmup["requests"]
            started = time.monotonic()
            lines = set_up(port, math.ceil(HEADROOM * max(WARMUP_RATE, answered) * DURATION_S))
            facts = {
                "warmup_answers_per_s": round(answered),
                "answers_prepared": len(lines),
                "setup_s": round(time.monotonic() - started),
            }
            print(f"  warm-up {answered:.0f} answers/s; {len(lines)} answers prepared in "
                  f"{facts['setup_s']} s", flush=True)  # fmt: skip
            measured = write_lines(tmp / "measured.tsv", lines)
            problems = write_problems(tmp / "measured.json", lines)
            before, start = cpu_seconds(proc.pid), time.time()
            result = wrk(port, "/", LEARNERS, DURATION_S, script, (str(measured), "once"))
            after, end = cpu_seconds(proc.pid), time.time()
            recorded = django_shell(env, RECORDED.format(path=str(problems)))
            facts["answers_recorded"] = int(recorded)
            facts["answers_left"] = len(measured.read_text().splitlines()) - result["requests"]
            facts |= server_facts(env)
            if sql_timings:
                (tmp / "sql" / "dump").touch()
                time.sleep(1)  # each server process notices within 0.2 s, then writes its file
                facts["sql"] = sql_summary(tmp / "sql", start, end, result["requests"])
        return result | cpu_shares(before, after, result["requests"], DURATION_S), facts, measured


def measure_ceiling(tmp: Path, script: Path, answers: Path) -> tuple[dict, dict]:
    """The hello app under the same answers, and under wrk's plainest load (one GET, no Lua
    request()): if the two differ little, the answer-cycling client is not what limits."""
    (tmp / "hello_asgi.py").write_text(ASGI_HELLO)
    (tmp / "report.lua").write_text(WRK_REPORT)
    port = free_port()
    env = server_env(port, PYTHONPATH=pythonpath(tmp))
    log = OUT / "challenge_load-ceiling.log"
    with running(uvicorn("hello_asgi:app", 1), env, log, "/") as proc:
        args = (str(answers), "wrap")
        wrk(port, "/", LEARNERS, WARMUP_S, script, args)
        before = cpu_seconds(proc.pid)
        result = wrk(port, "/", LEARNERS, DURATION_S, script, args)
        after = cpu_seconds(proc.pid)
        plain = wrk(port, "/", LEARNERS, DURATION_S, tmp / "report.lua")
    return result | cpu_shares(before, after, result["requests"], DURATION_S), plain


def table(rows: list[tuple[str, dict]]) -> str:
    lines = [
        "| target | req/s | p50 ms | p99 ms | p99/p50 | non-2xx | socket errors "
        "| server CPU ms/req | server cores busy | other CPU % |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, r in rows:
        cpu = "– | – | –"
        if "other_cpu_pct" in r:
            cores = r["server_cpu_ms_per_req"] * r["rps"] / 1000
            cpu = f"{r['server_cpu_ms_per_req']:.2f} | {cores:.2f} | {r['other_cpu_pct']:.0f}"
        lines.append(
            f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
            f"| {r['p99_ms'] / r['p50_ms']:.1f} | {r['non2xx']} | {r['socket_errors']} | {cpu} |"
        )
    return "\n".join(lines)


def sql_table(rows: list[dict]) -> str:
    lines = [
        "| statement | per answer | mean ms | p50 ms | p99 ms | max ms | total s |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['kind']} | {r['per_answer']:.2f} | {r['mean_ms']:.2f} | {r['p50_ms']:.2f} "
            f"| {r['p99_ms']:.2f} | {r['max_ms']:.1f} | {r['total_s']:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sql-timings",
        action="store_true",
        help="also time every SQL statement in the server (adds a little work per statement)",
    )
    options = parser.parse_args()
    if not WRK:
        sys.exit("challenge_load needs wrk: sudo apt-get install wrk")
    started = time.monotonic()
    knobs = run_facts() | {
        "path": "POST /api/v1/challenges/{id}/problems/{n}/answer",
        "learners": LEARNERS,
        "client": f"wrk -t1, {LEARNERS} connections, Lua request() over the prepared answers",
        "warmup_s": WARMUP_S,
        "duration_s": DURATION_S,
        "warmup_rate": WARMUP_RATE,
        "headroom": HEADROOM,
        "challenge_seconds": CHALLENGE_SECONDS,
        "sql_timings": options.sql_timings,
        "versions": versions(("django", "granian", "uvicorn", "uvloop", "httptools", "psycopg")),
    }
    print(json.dumps(knobs, indent=2), flush=True)
    with tempfile.TemporaryDirectory(prefix="codedrill-bench-") as name:
        tmp = Path(name)
        script = tmp / "answers.lua"
        script.write_text(ANSWERS_LUA + WRK_REPORT)
        print("measuring codedrill serve ...", flush=True)
        codedrill, facts, answers = measure_codedrill(tmp, script, options.sql_timings)
        print("measuring ceiling: hello asgi ...", flush=True)
        ceiling, plain = measure_ceiling(tmp, script, answers)
    knobs |= facts
    vendor = facts["db_server"].split()[0]
    ratio = codedrill["rps"] / ceiling["rps"]
    print()
    print(
        table(
            [
                (f"codedrill serve ({served_by(facts)})", codedrill),
                ("ceiling: hello asgi, same answers", ceiling),
                ("ceiling: hello asgi, one GET (client check)", plain),
            ]
        )
    )
    if options.sql_timings:
        print()
        print(sql_table(facts["sql"]))
    written = facts["answers_recorded"]
    done = codedrill["requests"] - codedrill["non2xx"]
    errors = codedrill["non2xx"] + codedrill["socket_errors"]
    checks = {
        f"ratio to the ceiling >= {TARGET_RATIO[vendor]}": (
            ratio >= TARGET_RATIO[vendor],
            f"{ratio:.3f}",
        ),
        f"p99 <= {TARGET_TAIL}x p50": (
            codedrill["p99_ms"] <= TARGET_TAIL * codedrill["p50_ms"],
            f"{codedrill['p99_ms'] / codedrill['p50_ms']:.2f}x",
        ),
        "no errors": (errors == 0, f"{errors}"),
        # Requests still in flight when wrk stops are judged but not counted by wrk.
        "every 2xx answer recorded as a new attempt": (
            done <= written <= done + LEARNERS,
            f"{written} recorded for {done} answered",
        ),
    }
    print()
    for name, (ok, value) in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {value}")
    if facts["answers_left"] < LEARNERS:
        print(f"the prepared answers ran out: the run was over {HEADROOM}x the warm-up's rate")
    print(f"total run time: {time.monotonic() - started:.0f} s")
    record = save(
        f"challenge_load-{vendor}",
        {
            "knobs": knobs,
            "codedrill": codedrill,
            "ceiling": ceiling,
            "ceiling_plain_get": plain,
            "ratio": ratio,
            "checks": {name: ok for name, (ok, _value) in checks.items()},
        },
    )
    print(f"recorded in {record.relative_to(REPO)}")


if __name__ == "__main__":
    main()
