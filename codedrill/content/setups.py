"""The run setup a question or trace states: read from YAML, held against the knobs of every
server its proof ran, and rendered as prose for the learner.

A setup lists the same knobs the experiment engine records (`engine.knobs`), so the two compare
field by field; a field left out means the default a learner's own project would have.
"""

import json
from dataclasses import dataclass

from codedrill.content.yamlfile import YamlFile
from codedrill.lab.engine import (
    DEFAULT_BACKLOG,
    DEFAULT_MIDDLEWARE,
    WARNINGS,
    ExperimentError,
    Server,
)

SERVER_KINDS = ("uvicorn", "gunicorn", "test-client")
SITE_FIELDS = {
    "middleware": "`default` (Django's 7) or a list of dotted paths; [] for none",
    "database": "`none`, `sqlite` or `postgresql`",
    "database_options": "per-database settings, e.g. {CONN_MAX_AGE: 600}",
    "settings": "other settings that differ from Django's defaults, e.g. {DEBUG: true}",
}
SERVER_FIELDS = {
    "server": f"one of {', '.join(SERVER_KINDS)}",
    "workers": "worker processes (default 1)",
    "threads": "gunicorn threads per worker (default 1: the sync worker)",
    "backlog": f"the listen backlog (default {DEFAULT_BACKLOG})",
    "warnings": f"Python's warning filter: {' or '.join(WARNINGS)}",
    "loop": "uvicorn's event loop (default asyncio)",
}
DATABASE_NAMES = {"sqlite": "an SQLite database", "postgresql": "a PostgreSQL database"}
# What an experiment's or a project's `database` may say, and what is stored for it.
DATABASE_VALUES = {True: "sqlite", False: "", "none": "", "sqlite": "sqlite",
                   "postgresql": "postgresql"}  # fmt: skip
SETUP_FIELDS = {
    **SERVER_FIELDS,
    **SITE_FIELDS,
    "servers": "several server setups, when the proof runs more than one",
    "note": "prose for facts that are not knobs, e.g. what the database holds",
}


@dataclass
class Setup:
    runs: list[dict]  # one knob mapping per server setup, defaults filled in
    note: str = ""

    def keys(self) -> set[str]:
        return {_canonical(run) for run in self.runs}

    def prose(self) -> str:
        shared = {
            name: self.runs[0][name]
            for name in SITE_FIELDS
            if all(run[name] == self.runs[0][name] for run in self.runs)
        }
        parts = [_server_prose(run, shared) for run in self.runs]
        if len(parts) > 1:
            head = "Django 5.2, run in each of these ways: " + "; ".join(parts)
        elif self.runs[0]["server"] == "test-client":
            head = f"Django 5.2 with {parts[0]}"
        else:
            head = f"Django 5.2 under {parts[0]}"
        sentences = [head, *(part[0].upper() + part[1:] for part in _site_prose(shared))]
        return f"{'. '.join(sentences)}. {self.note}".strip()


def _canonical(run: dict) -> str:
    return json.dumps(run, sort_keys=True)


def describe(run: dict) -> str:
    """One server setup as the short prose a problem message uses."""
    return "; ".join([_server_prose(run, {}), *_site_prose(run)])


def _server_prose(run: dict, shared: dict) -> str:
    kind = run["server"]
    if kind == "test-client":
        text = "Django's test client, no server (the site runs in the proof's process)"
    else:
        workers = f"{run['workers']} {'worker' if run['workers'] == 1 else 'workers'}"
        if kind == "uvicorn":
            text = f"uvicorn (ASGI), {workers}"
            if run["loop"] != "asyncio":
                text += f", {run['loop']} event loop"
        elif run["threads"] == 1:
            text = f"gunicorn (WSGI), {workers.replace('worker', 'sync worker')}"
        else:
            text = f"gunicorn (WSGI), {workers.replace('worker', 'gthread worker')} with "
            text += f"{run['threads']} threads each"
        if run["backlog"] != DEFAULT_BACKLOG:
            text += f", listen backlog {run['backlog']}"
        if run["warnings"] == "always":
            text += ", every warning shown each time it happens (`python -W always`)"
    own = {name: run[name] for name in SITE_FIELDS if name not in shared}
    return ", ".join([text, *_site_prose(own)])


def _site_prose(site: dict) -> list[str]:
    parts = []
    if "middleware" in site:
        middleware = site["middleware"]
        if middleware == "default":
            parts.append("Django's default settings and middleware")
        elif not middleware:
            parts.append("no middleware (`MIDDLEWARE = []`)")
        elif list(middleware[: len(DEFAULT_MIDDLEWARE)]) == list(DEFAULT_MIDDLEWARE):
            parts.append(f"Django's default middleware, then {_names(middleware[7:])}")
        elif len(middleware) == 1:
            parts.append(f"{_names(middleware)} is the only entry in `MIDDLEWARE`")
        else:
            parts.append(f"`MIDDLEWARE` lists {_names(middleware)}, in that order")
    if (database := site.get("database")) in DATABASE_NAMES:
        options = ", ".join(f"`{k} = {v!r}`" for k, v in site["database_options"].items())
        parts.append(f"{DATABASE_NAMES[database]}{f' with {options}' if options else ''}")
    if site.get("settings"):
        parts.append(", ".join(f"`{k} = {v!r}`" for k, v in site["settings"].items()))
    return parts


def _names(middleware) -> str:
    return ", ".join(f"`{m.removeprefix('lab_site.')}`" for m in middleware)


def read_setup(file: YamlFile, value, *where) -> Setup | None:
    """The setup at `where`, or None after reporting what is wrong with it."""
    if not isinstance(value, dict):
        file.error(
            file.line(*where),
            "`setup` is a mapping of the run's knobs, e.g. {server: uvicorn, workers: 1}; "
            "see docs/authoring.md.",
        )
        return None
    before = len(file.errors)
    for name in value:
        if name not in SETUP_FIELDS:
            file.error(
                file.line(*where, name),
                f"unknown setup field `{name}`; use: {', '.join(SETUP_FIELDS)}.",
            )
    note = value.get("note", "")
    if not isinstance(note, str):
        file.error(file.line(*where, "note"), "`note` must be text.")
    shared = {k: v for k, v in value.items() if k not in ("servers", "note")}
    entries = value.get("servers")
    if entries is None:
        entries, paths = [shared], [where]
    elif not isinstance(entries, list) or not entries or any(k in shared for k in SERVER_FIELDS):
        file.error(
            file.line(*where, "servers"),
            "`servers` is a list of {server, workers, threads, ...}; with it, give no "
            "server field outside the list.",
        )
        return None
    else:
        paths = [(*where, "servers", i) for i in range(len(entries))]
        entries = [
            {**shared, **entry} if isinstance(entry, dict) else entry for entry in entries
        ]  # fmt: skip
    runs = [_run(file, entry, path) for entry, path in zip(entries, paths, strict=True)]
    if len(file.errors) > before or None in runs:
        return None
    return Setup(runs, note.strip())


def _run(file: YamlFile, entry, where) -> dict | None:
    if not isinstance(entry, dict):
        file.error(file.line(*where), "each server setup must be a mapping {server, ...}.")
        return None
    kind = entry.get("server")
    if kind not in SERVER_KINDS:
        file.error(file.line(*where), f"`server` must be one of {', '.join(SERVER_KINDS)}.")
        return None
    middleware = entry.get("middleware", "default")
    if middleware != "default" and not (
        isinstance(middleware, list) and all(isinstance(m, str) for m in middleware)
    ):
        file.error(file.line(*where, "middleware"), f"`middleware` is {SITE_FIELDS['middleware']}.")
        return None
    database = entry.get("database", "none")
    if database not in ("none", *DATABASE_NAMES):
        file.error(file.line(*where, "database"), f"`database` is {SITE_FIELDS['database']}.")
        return None
    mappings = {}
    for name in ("database_options", "settings"):
        mappings[name] = entry.get(name, {})
        if not isinstance(mappings[name], dict):
            file.error(file.line(*where, name), f"`{name}` is {SITE_FIELDS[name]}.")
            return None
    run = {
        "server": kind,
        "middleware": middleware,
        "database": database,
        "database_options": mappings["database_options"],
        "settings": mappings["settings"],
    }
    if kind == "test-client":
        extra = [name for name in SERVER_FIELDS if name in entry and name != "server"]
        if extra:
            file.error(file.line(*where), f"the test client has no {', '.join(extra)}.")
            return None
        return run
    try:
        server = Server(
            kind,
            workers=entry.get("workers", 1),
            threads=entry.get("threads", 1),
            backlog=entry.get("backlog", DEFAULT_BACKLOG),
            warnings=entry.get("warnings", "default"),
        )
    except ExperimentError as exc:
        file.error(file.line(*where), f"`setup`: {exc}.")
        return None
    loop = entry.get("loop", "asyncio" if kind == "uvicorn" else None)
    if kind == "gunicorn" and loop is not None:
        file.error(file.line(*where, "loop"), "gunicorn runs no event loop; remove `loop`.")
        return None
    return run | {
        "workers": server.workers,
        "threads": server.threads,
        "backlog": server.backlog,
        "warnings": server.warnings,
        "loop": loop,
    }


def setup_problems(setup: Setup | None, observations: list[dict]) -> list[str]:
    """How the stated setup differs from the knobs of the servers the proof ran."""
    ran = {_canonical(knobs) for facts in observations for knobs in facts.get("_servers", [])}
    stated = setup.keys() if setup else set()
    if ran == stated:
        return []
    if not stated:
        listed = "; ".join(describe(json.loads(k)) for k in sorted(ran))
        return [f"the proof ran {listed}, but the question states no `setup`; state it"]
    problems = []
    for key in sorted(ran - stated):
        problems.append(f"the proof ran {describe(json.loads(key))}: `setup` does not state it")
    for key in sorted(stated - ran):
        problems.append(f"`setup` states {describe(json.loads(key))}, which the proof never ran")
    return problems


def read_database(file: YamlFile, data: dict) -> str:
    """An experiment's or a project's `database` as stored: "sqlite", "postgresql" or "" (none,
    or SQLite for a site with models). A value it cannot be is an error, naming what it can."""
    database = data.get("database", False)
    if isinstance(database, bool | str) and database in DATABASE_VALUES:
        return DATABASE_VALUES[database]
    file.error(
        file.line("database"),
        f"`database` must be sqlite (or true), postgresql or none, not {database!r}.",
    )
    return ""
