"""Lab experiments: turn an experiment's definition and a learner's choices into one engine run.

The definition is the experiment.yaml the loader validated; parameters are bounded there and
checked again here, since a learner's values come from a form or the API.
"""

import ast
import json
import re
import statistics
from pathlib import Path
from urllib.parse import urlencode

import yaml

from codedrill.lab.engine import (
    DEFAULT_MIDDLEWARE,
    QUERY_COUNTER,
    ExperimentError,
    Result,
    Server,
    Site,
    about_seconds,
    run,
)

# Sent to the views as query parameters; `rows` seeds the site, and the rest shape the server or
# the client.
QUERY_PARAMETERS = ("delay", "work")
# What a citation can read off one run of an experiment (see docs/authoring.md).
MEASURES = {
    "seconds": "whole seconds from the first request sent to the last response",
    "probe_seconds": "whole seconds the probe request took",
    "status": "the status every request got (a list when they differ)",
    "errors": "the class names of the exceptions the server printed, sorted, once each",
    "warnings": "how many warning lines the server printed",
    "queries": "the database queries each request ran, counted as assertNumQueries counts "
    "them (a list when requests differ); only for an experiment with `models`",
    "thread": "the thread the first response names last, without its number: `MainThread`, "
    "`ThreadPoolExecutor`",
    "tally": "the whole number the `tally` request answered once every request had been "
    "answered, e.g. the stock left; only for an experiment with a `tally`",
}
THREAD_NAME = re.compile(r"\b(MainThread|ThreadPoolExecutor|Thread)(?:-[\d_]+)?\b")
WHOLE_NUMBER = re.compile(r"-?\d{1,9}")


def defines(code: str, name: str) -> bool:
    """Whether `code` defines a top-level function `name`."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return False
    return any(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body)


def tally_number(result: Result) -> int | None:
    """What the tally request answered, as a whole number; None when it failed or answered
    something else."""
    found = result.tally
    body = found.body.strip() if found and found.status == 200 else ""
    return int(body) if WHOLE_NUMBER.fullmatch(body) else None


def predictions(predict: list[str], probe: dict | None) -> list[str]:
    """What a learner predicts before a run: what the experiment asks for, by default the
    whole run's seconds and the probe's."""
    return predict or (["wall", "probe"] if probe else ["wall"])


def choose(definition: dict, server: str, endpoint: str, values: dict) -> dict:
    """Every parameter's value for one run: the learner's, checked against the bounds, or the
    default. Raises ExperimentError naming the bad value."""
    if server not in definition["servers"]:
        raise ExperimentError(f"server must be one of {', '.join(definition['servers'])}")
    if endpoint not in [e["path"] for e in definition["endpoints"]]:
        raise ExperimentError(f"unknown endpoint {endpoint!r}")
    bounds = definition["parameters"]
    chosen = {name: limits["default"] for name, limits in bounds.items()}
    for name, value in values.items():
        if name not in bounds:
            raise ExperimentError(f"unknown parameter {name!r}")
        kind = type(bounds[name]["default"])
        try:
            value = kind(value)
        except (TypeError, ValueError, OverflowError):
            raise ExperimentError(f"{name} must be a number") from None
        if not bounds[name]["min"] <= value <= bounds[name]["max"]:
            raise ExperimentError(
                f"{name} must be between {bounds[name]['min']} and {bounds[name]['max']}"
            )
        chosen[name] = value
    return chosen


def plan(definition: dict, site_code: str, server: str, endpoint: str, values: dict):
    """(Site, Server, requests) for one run, or ExperimentError naming the bad value.
    `definition["models"]`, when given, is the code of the site's models."""
    chosen = choose(definition, server, endpoint, values)
    query = urlencode({name: chosen[name] for name in QUERY_PARAMETERS if name in chosen})
    middleware = definition.get("middleware")  # absent: Django's default stack
    middleware = tuple(DEFAULT_MIDDLEWARE if middleware is None else middleware)
    models = definition.get("models") or ""
    if models:  # a site with models shows the queries each request runs
        middleware = (QUERY_COUNTER, *middleware)
    seed = ""  # the site's own seed(rows), or seed() when the learner chooses no rows
    if "rows" in chosen:
        seed = f"from lab_site import seed\nseed({int(chosen['rows'])})"
    elif models and defines(site_code, "seed"):
        seed = "from lab_site import seed\nseed()"
    site = Site(
        site_code,
        database=definition.get("database") or False,  # "", "sqlite" or "postgresql"
        middleware=middleware,
        models=models,
        seed=seed,
    )
    threads = int(chosen.get("threads", 1)) if server == "gunicorn" else 1
    engine_server = Server(server, workers=int(chosen.get("workers", 1)), threads=threads)
    path = f"{endpoint}?{query}" if query else endpoint
    requests = [path] * int(chosen["requests"])
    if probe := definition.get("probe"):
        # One quick request sent behind the batch shows what the batch does to everyone else.
        requests.append((probe["path"], probe["after"]))
    return site, engine_server, requests


def measure(spec: dict, reading) -> dict:
    """One lab run, inside the sandbox: run the experiment as `spec` says ({definition, site,
    server, endpoint, parameters}), print `progress k/n` as requests end, and return the facts
    the lab stores, with the experiment's own `reading` of them."""
    chosen = choose(spec["definition"], spec["server"], spec["endpoint"], spec["parameters"])
    site, server, requests = plan(
        spec["definition"], spec["site"], spec["server"], spec["endpoint"], chosen
    )
    ended = 0

    def answered(_index: int) -> None:
        nonlocal ended
        ended += 1
        print(f"progress {ended}/{len(requests)}", flush=True)

    tally = (spec["definition"].get("tally") or {}).get("path")
    result = run(site, server, requests, answered=answered, tally=tally)
    has_probe = bool(spec["definition"].get("probe"))
    rows = [
        {
            "path": r.path,
            "start": round(r.start, 4),
            "end": round(r.end, 4),
            "status": r.status,
            "error": r.error[:200],
            "probe": has_probe and r.index == len(requests) - 1,
            "queries": r.queries,
        }
        for r in result.requests
    ]
    batch = [round(r["end"] - r["start"], 4) for r in rows if not r["probe"]]
    facts = {
        "server": spec["server"],
        "endpoint": spec["endpoint"],
        "parameters": chosen,
        "batch": batch,
        "median": round(statistics.median(batch), 4),
        "statuses": [r["status"] for r in rows if not r["probe"]],
        "probe": next((round(r["end"] - r["start"], 4) for r in rows if r["probe"]), None),
        "wall": round(result.wall, 4),
        "warnings": len(result.warnings()),
        "errors": result.errors(),
        "queries": [r["queries"] for r in rows if not r["probe"]],
        "tally": tally_number(result),
    }
    return {**facts, "requests": rows, "cpu": result.cpu, "knobs": result.knobs,
            "reading": str(reading(facts))[:500]}  # fmt: skip


def _read(path: str) -> tuple[dict, str]:
    """(definition, site code) from an experiment.yaml: its `models` file read in as code."""
    definition = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    folder = Path(path).parent
    if definition.get("models"):
        definition["models"] = (folder / definition["models"]).read_text(encoding="utf-8")
    return definition, (folder / definition["site"]).read_text(encoding="utf-8")


def smoke(path: str = "experiment.yaml") -> dict:
    """Run every endpoint once on every server the experiment allows, with the smallest
    parameters, then one learner's run of the first endpoint read by the experiment's
    reading.py: used by `codedrill check` to show each experiment really runs and reads."""
    definition, site_code = _read(path)
    smallest = {name: limits["min"] for name, limits in definition["parameters"].items()}
    tally = (definition.get("tally") or {}).get("path")
    answered = {}
    for server in definition["servers"]:
        requests = []
        for endpoint in definition["endpoints"]:
            site, engine_server, paths = plan(
                definition, site_code, server, endpoint["path"], {**smallest, "requests": 1}
            )
            requests += paths
        result = run(site, engine_server, requests, concurrency=1, tally=tally)
        answered[server] = {r.path: r.status for r in [*result.requests, result.tally] if r}
    import reading  # reading.py beside experiment.yaml, in the run's folder

    spec = {"definition": definition, "site": site_code, "server": definition["servers"][0],
            "endpoint": definition["endpoints"][0]["path"], "parameters": smallest}  # fmt: skip
    return {"answered": answered, "reading": measure(spec, reading.reading)["reading"]}


def _definition(experiment) -> dict:
    """An experiment as the loader read it, in the shape `plan` takes."""
    definition = {
        "servers": experiment.servers,
        "endpoints": experiment.endpoints,
        "parameters": experiment.parameters,
        "database": experiment.database,
        "probe": experiment.probe,
        "models": experiment.models,
        "tally": experiment.tally,
    }
    if experiment.middleware is not None:
        definition["middleware"] = experiment.middleware
    return definition


def citation_problem(experiment, spec) -> str | None:
    """What is wrong with one cited fact {server, endpoint, measure, parameters...}, if anything."""
    if not isinstance(spec, dict) or not {"server", "endpoint", "measure"} <= set(spec):
        return "give {server, endpoint, measure} and any parameters of the run."
    if spec["measure"] not in MEASURES:
        return f"`measure` must be one of {', '.join(MEASURES)}."
    if spec["measure"] == "probe_seconds" and not experiment.probe:
        return "the experiment sends no probe request."
    if spec["measure"] == "queries" and not experiment.models:
        return "the experiment has no `models`, so its queries are not counted."
    if spec["measure"] == "tally" and not experiment.tally:
        return "the experiment sends no `tally` request."
    values = {k: v for k, v in spec.items() if k not in ("server", "endpoint", "measure")}
    try:
        plan(_definition(experiment), "", spec["server"], spec["endpoint"], values)
    except ExperimentError as exc:
        return f"{exc}."
    return None


def _measure(result: Result, measure: str, probe: bool):
    if measure == "seconds":
        return about_seconds(result.wall)
    if measure == "probe_seconds":
        return round(result.requests[-1].seconds) if probe else None
    if measure in ("status", "queries"):
        found = sorted(
            {getattr(r, measure) for r in result.requests}, key=lambda v: -1 if v is None else v
        )
        return found[0] if len(found) == 1 else found
    if measure == "errors":
        return sorted(set(result.errors()))
    if measure == "thread":
        names = THREAD_NAME.findall(result.requests[0].body)
        return names[-1] if names else None
    if measure == "tally":
        return tally_number(result)
    return len(result.warnings())


def cite(specs: dict, path: str = "experiment.yaml") -> dict:
    """The facts a citation names, each read off a real run of the experiment: used by
    `codedrill check` to decide a cited question's key. Runs with the same choices are shared."""
    definition, site_code = _read(path)
    results, facts = {}, {}
    for name, spec in specs.items():
        values = {k: v for k, v in spec.items() if k not in ("server", "endpoint", "measure")}
        choice = json.dumps([spec["server"], spec["endpoint"], values], sort_keys=True)
        if choice not in results:
            site, server, requests = plan(
                definition, site_code, spec["server"], spec["endpoint"], values
            )
            tally = (definition.get("tally") or {}).get("path")
            results[choice] = run(site, server, requests, tally=tally)
        facts[name] = _measure(results[choice], spec["measure"], bool(definition.get("probe")))
    return facts
