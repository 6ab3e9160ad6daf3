"""Does what a proof observed prove the key? One place decides, for the checker and its tests.

`judge_question` and `judge_trace` return the problems (empty: proven). `flips` lists every
other key an author could have written; the mutation test requires that each one is judged
wrong by the same observations.
"""

from itertools import pairwise

from codedrill.content.questions import QuestionSource, TraceSource
from codedrill.content.setups import setup_problems


def matches(claimed: dict, facts: dict) -> bool:
    return all(name in facts and facts[name] == value for name, value in claimed.items())


def normalize(answer) -> str:
    """Short answers compare without case and extra spacing, line by line."""
    lines = (" ".join(line.split()) for line in str(answer).strip().lower().splitlines())
    return "\n".join(line for line in lines if line)


def _shown(facts: dict) -> dict:
    return {name: value for name, value in facts.items() if not name.startswith("_")}


def judge_question(q: QuestionSource, facts, key=None) -> list[str]:
    """`facts` is the proof's observation; for a blank question, {option id: observation}."""
    key = q.key if key is None else key
    if q.kind == "blank":
        return _judge_blank(q, facts, key) + setup_problems(q.setup, list(facts.values()))
    problems = setup_problems(q.setup, [facts])
    seen = _shown(facts)
    if q.kind in ("single", "multiple"):
        matching = [o["id"] for o in q.options if matches(o["observed"], facts)]
        wanted = [key] if q.kind == "single" else list(key)
        if sorted(matching) != sorted(wanted):
            claims = {o["id"]: o["observed"] for o in q.options if o["id"] in wanted}
            problems.append(
                f"observed {seen}; the key {wanted} claims {claims}; the options that match "
                f"the observation: {matching or 'none'}"
            )
    elif q.kind == "order":
        tokens = {o["id"]: o["observed"] for o in q.options}
        claimed = [tokens[i] for i in key]
        if facts.get("order") != claimed:
            problems.append(f"observed order {facts.get('order')}; the key claims {claimed}")
    elif q.kind == "short":
        answer = facts.get("answer")
        if normalize(answer) != normalize(key):
            problems.append(f"observed answer {answer!r}; the key is {key!r}")
        for mistake in q.mistakes:
            if normalize(mistake["answer"]) == normalize(answer):
                problems.append(f"the wrong answer {mistake['answer']!r} matches the observation")
    return problems


def _judge_blank(q: QuestionSource, runs: dict, key: dict) -> list[str]:
    problems = []
    for option in q.options:
        facts = runs.get(option["id"], {})
        works = matches(q.works, facts)
        is_key = key.get(option["blank"]) == option["id"]
        if works != is_key:
            verdict = "does not work" if is_key else "also works"
            problems.append(
                f"blank {option['blank']} filled with {option['text']!r} {verdict}: observed "
                f"{_shown(facts)}, a working program gives {q.works}"
            )
    return problems


def judge_trace(trace: TraceSource, facts: dict, events=None, quiz_keys=None) -> list[str]:
    events = [s["event"] for s in trace.steps if s.get("event")] if events is None else events
    problems = setup_problems(trace.setup, [facts])
    if facts.get("events") != events:
        problems.append(f"observed events {facts.get('events')}; the steps claim {events}")
    for i, item in enumerate(trace.quiz):
        key = item["key"] if quiz_keys is None else quiz_keys[i]
        matching = [o["id"] for o in item["options"] if matches(o["observed"], facts)]
        if matching != [key]:
            problems.append(
                f"quiz {i + 1}: observed {_shown(facts)}; the key {key!r} claims "
                f"{next((o['observed'] for o in item['options'] if o['id'] == key), None)}; "
                f"matching: {matching or 'none'}"
            )
    return problems


def flips(q: QuestionSource) -> list:
    """Every wrong key: each must be judged wrong by the same observations."""
    ids = [o["id"] for o in q.options]
    if q.kind == "single":
        return [i for i in ids if i != q.key]
    if q.kind == "multiple":
        toggled = [sorted(set(q.key) ^ {i}) for i in ids]
        return [k for k in toggled if k]
    if q.kind == "order":
        swaps = []
        for n in range(len(q.key) - 1):
            key = list(q.key)
            key[n], key[n + 1] = key[n + 1], key[n]
            swaps.append(key)
        return swaps
    if q.kind == "short":
        return [m["answer"] for m in q.mistakes]
    return [{**q.key, o["blank"]: o["id"]} for o in q.options if q.key[o["blank"]] != o["id"]]


def trace_flips(trace: TraceSource) -> list[tuple[list, list]]:
    """Wrong (events, quiz keys) pairs: each adjacent swap of two different events, and each
    quiz question keyed on another option."""
    events = [s["event"] for s in trace.steps if s.get("event")]
    keys = [item["key"] for item in trace.quiz]
    wrong = []
    for n, (a, b) in enumerate(pairwise(events)):
        if a != b:
            swapped = list(events)
            swapped[n], swapped[n + 1] = b, a
            wrong.append((swapped, keys))
    for i, item in enumerate(trace.quiz):
        for option in item["options"]:
            if option["id"] != item["key"]:
                wrong.append((events, [*keys[:i], option["id"], *keys[i + 1 :]]))
    return wrong
