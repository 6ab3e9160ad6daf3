"""Helpers for Challenge and Test tests: the right answer and wrong ones for any question, as
JSON (the API) or as form fields (the pages); a signed-up httpx client for a live server."""

import re
import secrets
from itertools import combinations, islice, permutations
from pathlib import Path

import httpx
import yaml
from conftest import BUNDLED_CONTENT


def right(question: dict):
    """The key, as the API takes it. `question` is {kind, key, options, code}."""
    return question["key"]


def wrong(question: dict, k: int = 0):
    """One of several different wrong answers (the k-th, cycling when there are fewer)."""
    key, kind = question["key"], question["kind"]
    ids = [o["id"] for o in question["options"]]
    if kind == "short":
        # Well formed, so it is judged: a number where the key is numbers.
        numbers = key.split()
        if all(n.lstrip("-").isdigit() for n in numbers):
            return " ".join([str(int(numbers[0]) + 1 + k), *numbers[1:]])
        return f"certainly not this {k}"
    if kind == "single":
        others = [i for i in ids if i != key]
    elif kind == "multiple":
        subsets = (sorted(c) for size in range(1, len(ids) + 1) for c in combinations(ids, size))
        others = [s for s in subsets if s != sorted(key)]
    elif kind == "order":
        others = [list(p) for p in islice(permutations(ids), 6) if list(p) != key]
    else:  # blank: the first blank takes another of its own options
        name = next(iter(key))
        options = [o["id"] for o in question["options"] if o.get("blank") == name]
        others = [{**key, name: i} for i in options if i != key[name]]
    return others[k % len(others)]


def form(question: dict, answer) -> dict:
    """An API answer as the fields the page's form posts."""
    if question["kind"] == "blank":
        return {f"blank-{name}": value for name, value in answer.items()}
    return {"answer": answer}


def of(version) -> dict:
    """The fields these helpers need, from a QuestionVersion."""
    return {"kind": version.kind, "key": version.key, "options": version.options}


def bundled_questions() -> dict[str, dict]:
    """Question UUID -> {kind, key, options}, read from the bundled content (for live servers,
    whose database the test cannot read)."""
    found = {}
    for path in Path(BUNDLED_CONTENT).rglob("question.yaml"):
        data = yaml.safe_load(path.read_text())
        found[data["id"]] = {
            "kind": data["kind"],
            "key": data["key"],
            "options": data.get("options", []),
        }
    return found


def sign_up(base: str, name: str) -> httpx.Client:
    """A browser-like client with a real account: session cookie and CSRF token. The name gets
    a random suffix: on PostgreSQL a live server's database outlives the test run."""
    username = f"{name}-{secrets.token_hex(4)}"
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/signup/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {
        "csrfmiddlewaretoken": token,
        "username": username,
        "password1": "a-long-Passphrase-77",
        "password2": "a-long-Passphrase-77",
    }
    response = client.post("/signup/", data=data)
    assert response.status_code == 302, response.text
    return client


def twin(client: httpx.Client) -> httpx.Client:
    """Another connection of the same browser (same cookies), for concurrent requests."""
    return httpx.Client(base_url=client.base_url, cookies=client.cookies, timeout=60)


def csrf(client: httpx.Client) -> dict:
    return {"X-CSRFToken": client.cookies["csrftoken"]}


def secrets_of(version, with_hint: bool = True) -> list[str]:
    """What must stay on the server until the question is finished."""
    found = [*version.solution, *(m["html"] for m in version.mistakes)]
    return [*found, version.hint] if with_hint else found


def texts(response) -> list[str]:
    """A response's text as a learner's browser or client reads it: the HTML, or every string
    of the JSON (escaping in the raw JSON would hide a leak from a plain substring search)."""
    if response["Content-Type"].startswith("application/json"):
        found = []

        def walk(value):
            if isinstance(value, dict):
                found.extend(map(str, value))
                value = list(value.values())
            if isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, str):
                found.append(value)

        walk(response.json())
        return found
    return [response.content.decode()]


def assert_nothing_early(response, secrets: list[str]) -> None:
    for text in texts(response):
        assert not [s for s in secrets if s in text], response.request["PATH_INFO"]
        lowered = text.lower()
        assert "final answer" not in lowered and "final_answer" not in lowered
        assert "quick check" not in lowered and "quick_check" not in lowered
