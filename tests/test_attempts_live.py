"""Challenge, Test and Project rules on a real server started as `make run` starts it
(SQLite, or the PostgreSQL of DATABASE_URL): bursts of concurrent requests and a restart."""

import contextlib
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from attempts_support import bundled_questions, csrf, right, sign_up, twin, wrong
from liveserver import serve, stop

BURST = 20
QUESTIONS = bundled_questions()


class Server:
    """One server for the module, on one data folder; `restart` stops it and starts another
    process on the same data, as an operator's restart would."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.stack = contextlib.ExitStack()
        self.base, self.process = self.stack.enter_context(serve(data_dir))

    def restart(self, **env: str) -> None:
        stop(self.process)
        self.stack.close()
        self.stack = contextlib.ExitStack()
        self.base, self.process = self.stack.enter_context(serve(self.data_dir, **env))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("attempts-live"))
    yield server
    server.stack.close()


@pytest.fixture
def base(server):
    return server.base


def burst(client, path: str, bodies: list) -> list[tuple[int, dict]]:
    """POST each body at once from its own connection of the same browser; all requests wait
    at a barrier and leave together."""
    clients = [twin(client) for _ in bodies]
    ready = threading.Barrier(len(bodies))

    def send(i: int) -> tuple[int, dict]:
        ready.wait()
        response = clients[i].post(path, json=bodies[i], headers=csrf(client))
        return response.status_code, response.json()

    try:
        with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
            return list(pool.map(send, range(len(bodies))))
    finally:
        for c in clients:
            c.close()


def new_challenge(client) -> int:
    response = client.post("/api/v1/patterns/async-django/challenges", headers=csrf(client))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def show(client, pk: int, n: int) -> dict:
    """Open problem n (starting its clock); its question's key comes from the content files."""
    shown = client.get(f"/api/v1/challenges/{pk}/problems/{n}").json()
    return {**shown, **QUESTIONS[shown["id"]]}


def test_twenty_identical_answers_use_one_attempt_and_get_one_result(base):
    client = sign_up(base, "same-answer")
    pk = new_challenge(client)
    problem = show(client, pk, 1)
    results = burst(
        client, f"/api/v1/challenges/{pk}/problems/1/answer", [{"answer": wrong(problem)}] * BURST
    )
    assert {status for status, _ in results} == {200}
    assert all(body == results[0][1] for _, body in results)
    assert results[0][1]["correct"] is False and results[0][1]["attempts_left"] == 1
    assert show(client, pk, 1)["attempts_used"] == 1


def test_twenty_identical_project_submissions_queue_one_run(base):
    client = sign_up(base, "same-project")
    starter = client.get("/api/v1/patterns/async-django/project").json()["starter"]
    body = {"files": {**starter, "dashboard.py": starter["dashboard.py"] + "\n# mine\n"},
            "visible_only": True}  # fmt: skip
    results = burst(client, "/api/v1/patterns/async-django/project/submissions", [body] * BURST)
    # 202 while the run waits or runs; 200 with the stored results once a worker finished it.
    assert {status for status, _ in results} <= {200, 202}, results
    # One run: every answer is that run, or (had it finished already) a copy of its results.
    runs = {body["id"] for _, body in results if not body["reused"]}
    assert len(runs) == 1, results


def test_twenty_different_answers_use_at_most_two_attempts(base):
    client = sign_up(base, "many-answers")
    # A multiple-choice problem of 5 options has enough answers for 20 different wrong ones;
    # three challenges in a row ask every syntax problem once, one of them such a problem.
    for _ in range(3):
        pk = new_challenge(client)
        problems = [show(client, pk, n) for n in range(1, 6)]
        problem = next(
            (p for p in problems if p["kind"] == "multiple" and len(p["options"]) >= 5), None
        )
        if problem:
            break
    bodies = [{"answer": wrong(problem, k)} for k in range(BURST)]
    assert len({str(b["answer"]) for b in bodies}) == BURST
    results = burst(client, f"/api/v1/challenges/{pk}/problems/{problem['n']}/answer", bodies)
    assert sorted(status for status, _ in results) == [200] * 2 + [409] * (BURST - 2)
    assert all("finished" in body["detail"] for status, body in results if status == 409)
    assert show(client, pk, problem["n"])["attempts_used"] == 2


def test_the_badge_is_granted_once_when_challenges_finish_together(base):
    client = sign_up(base, "badge-race")
    challenges = [new_challenge(client) for _ in range(3)]
    last = {}
    for pk in challenges:
        for n in range(1, 6):
            problem = show(client, pk, n)
            if n < 5:
                path = f"/api/v1/challenges/{pk}/problems/{n}/answer"
                assert client.post(
                    path, json={"answer": right(problem)}, headers=csrf(client)
                ).json()["correct"]
            else:
                last[pk] = problem

    clients = [twin(client) for _ in range(BURST)]
    ready = threading.Barrier(BURST)

    def finish(i: int) -> int:
        pk = challenges[i % len(challenges)]
        ready.wait()
        path = f"/api/v1/challenges/{pk}/problems/5/answer"
        return (
            clients[i]
            .post(path, json={"answer": right(last[pk])}, headers=csrf(client))
            .status_code
        )

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        assert set(pool.map(finish, range(BURST))) == {200}
    for c in clients:
        c.close()
    summaries = [client.get(f"/api/v1/challenges/{pk}").json() for pk in challenges]
    assert [s["score"] for s in summaries] == [5, 5, 5]
    assert sum(s["badge"] for s in summaries) == 1
    exported = client.get("/account/export.json").json()
    assert len(exported["badges"]) == 1 and exported["badges"][0]["badge"] == "Async Django Mastery"


def test_twenty_finishes_finish_a_test_once(base):
    client = sign_up(base, "finishers")
    response = client.post("/api/v1/patterns/async-django/tests", headers=csrf(client))
    pk = response.json()["id"]
    for n in (1, 2, 3):
        question = client.get(f"/api/v1/tests/{pk}/questions/{n}").json()
        path = f"/api/v1/tests/{pk}/questions/{n}/answer"
        answer = right(QUESTIONS[question["id"]])
        assert client.post(path, json={"answer": answer}, headers=csrf(client)).status_code == 200
    results = burst(client, f"/api/v1/tests/{pk}/finish", [None] * BURST)
    assert {status for status, _ in results} == {200}
    assert all(body == results[0][1] for _, body in results)
    assert (results[0][1]["score"], results[0][1]["verdict"]) == (3, "needs work")


def test_the_clock_and_the_attempts_survive_a_restart(server):
    client = sign_up(server.base, "restarted")
    pk = new_challenge(client)
    problem = show(client, pk, 1)
    path = f"/api/v1/challenges/{pk}/problems/1/answer"
    assert (
        client.post(path, json={"answer": wrong(problem)}, headers=csrf(client)).status_code == 200
    )
    time.sleep(1)
    # A shorter clock after the restart applies to problems shown from now on, not to this one.
    server.restart(CHALLENGE_SECONDS="2")
    client.base_url = server.base  # the same browser, cookies and all, on the new server's port
    again = show(client, pk, 1)
    assert again["deadline"] == problem["deadline"]
    assert again["attempts_used"] == 1 and again["attempts_left"] == 1
    # The clock ran on through the restart (a second at least went by), still the 2:00 one:
    # far from the new 2 s clock, however slowly the machine restarted.
    assert 30 < again["remaining"] <= problem["remaining"] - 1
    page = client.get(f"/challenges/{pk}/1/").text
    assert 30 < int(re.search(r'data-remaining="(\d+)"', page).group(1)) <= again["remaining"]

    second = show(client, pk, 2)
    assert 1 <= second["remaining"] <= 2
    time.sleep(second["remaining"] + 0.3)
    path = f"/api/v1/challenges/{pk}/problems/2/answer"
    late = client.post(path, json={"answer": right(second)}, headers=csrf(client))
    assert late.status_code == 409 and "Time is up" in late.json()["detail"]
    after = show(client, pk, 2)
    assert after["attempts_used"] == 0 and after["finished"] and after["solution"]
    assert after["deadline"] == second["deadline"]
    server.restart()  # back to the default clock for any test after this one
