"""How long `codedrill check` takes on the bundled content: a full check with no stored
observations, and the re-checks an author waits for after editing one question.

Usage: .venv/bin/python benchmarks/check_speed.py [CONTENT] [--workers N]
Works on a copy of the content and a cache of its own; writes benchmarks/out/check_speed.json
and prints a table for benchmarks/README.md.
"""

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codedrill.settings")
django.setup()

from codedrill.content.check import check  # noqa: E402 - needs settings

ROOT = Path(__file__).resolve().parent
parser = argparse.ArgumentParser()
parser.add_argument("content", nargs="?", type=Path, default=ROOT.parent / "content")
parser.add_argument("--workers", type=int, default=None)
options = parser.parse_args()

work = Path(tempfile.mkdtemp(prefix="codedrill-bench-"))
content = Path(shutil.copytree(options.content, work / "content"))
cache = work / "cache.json"
question = next(content.glob("*/*/questions/practice-2-*/question.yaml"))
rows = []


def measure(name: str) -> None:
    started = time.monotonic()
    report = check(content, workers=options.workers, cache=cache)
    seconds = round(time.monotonic() - started, 1)
    assert report["ok"], [p["failures"] or p["unproven"] for p in report["patterns"]]
    rows.append({"check": name, "seconds": seconds, "proof_runs": report["proof_runs"],
                 "from_cache": report["cached"]})  # fmt: skip
    print(f"{name}: {seconds} s, {report['proof_runs']} runs, {report['cached']} cached",
          flush=True)  # fmt: skip


measure("full check, nothing stored")
question.write_text(question.read_text().replace("\nhint: ", "\nhint: Think it through. ", 1))
measure("re-check after rewording one question")
proof = question.with_name("proof.py")
proof.write_text(proof.read_text() + "\n# edited\n")
measure("re-check after editing one question's proof")
measure("re-check, nothing changed")
shutil.rmtree(work, ignore_errors=True)

(ROOT / "out").mkdir(exist_ok=True)
(ROOT / "out" / "check_speed.json").write_text(
    json.dumps({"cores": os.cpu_count(), "workers": options.workers, "rows": rows}, indent=2)
)
print("\n| check | seconds | proof runs | observations from the cache |")
print("|---|--:|--:|--:|")
for row in rows:
    print(f"| {row['check']} | {row['seconds']} | {row['proof_runs']} | {row['from_cache']} |")
