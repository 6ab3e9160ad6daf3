"""How long `codedrill check` takes on the bundled content, one proof at a time vs one per core.

Usage: .venv/bin/python benchmarks/check_speed.py [CONTENT]
Writes benchmarks/out/check_speed.json and prints a table for benchmarks/README.md.
"""

import json
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codedrill.settings")
django.setup()

from codedrill.content.check import check  # noqa: E402 - needs settings

ROOT = Path(__file__).resolve().parent
content = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "content"
cores = os.cpu_count() or 1
rows = []
for workers in sorted({1, cores}):
    report = check(content, workers=workers)
    runs = report.pop("runs")
    assert report["ok"], report
    busy = sum(run.seconds for run in runs.values())
    slowest = sorted(((run.seconds, key) for key, run in runs.items()), reverse=True)[:3]
    rows.append(
        {
            "workers": workers,
            "proof_runs": report["proof_runs"],
            "seconds": report["seconds"],
            "proof_seconds_added_up": round(busy, 1),
            "slowest": [round(seconds, 1) for seconds, _key in slowest],
        }
    )
    print(f"workers={workers}: {report['proof_runs']} runs in {report['seconds']} s", flush=True)

(ROOT / "out").mkdir(exist_ok=True)
(ROOT / "out" / "check_speed.json").write_text(json.dumps(rows, indent=2))
base = rows[0]["seconds"]
print("\n| proofs at a time | proof runs | wall s | proofs added up, s | vs one at a time |")
print("|---|---|---|---|---|")
for row in rows:
    print(
        f"| {row['workers']} | {row['proof_runs']} | {row['seconds']} | "
        f"{row['proof_seconds_added_up']} | {base / row['seconds']:.2f}× faster |"
    )
