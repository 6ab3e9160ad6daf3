"""What the sandbox costs: the whole `codedrill check` of the bundled content, run alternately
by an earlier revision's sandbox and by this tree's, on one machine, so that both see the same
load.

Usage: .venv/bin/python benchmarks/sandbox_cost.py [BEFORE] [AFTER] [ROUNDS]
BEFORE (default: the last commit before codedrill/sandbox) and AFTER (default: HEAD) are each
checked out into a temporary git worktree and imported with PYTHONPATH ahead of this venv's
install; both check BEFORE's bundled content, so only the sandbox differs.
Writes benchmarks/out/sandbox_cost.json and prints a table for benchmarks/README.md.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
REPO = ROOT.parent
revisions = {
    "before": sys.argv[1] if len(sys.argv) > 1 else "74243d2",
    "after": sys.argv[2] if len(sys.argv) > 2 else "HEAD",
}
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
CLI = "import sys; from codedrill.cli import main; sys.argv = ['codedrill', *sys.argv[1:]]; main()"


def timed_check(tree: Path, content: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", CLI, "check", str(content), "--json"],
        cwd=tree, env=env, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.monotonic() - started
    report = json.loads(done.stdout)
    return {"seconds": round(seconds, 1), "ok": report["ok"], "sandbox": report["sandbox"],
            "proof_runs": report["proof_runs"]}  # fmt: skip


with tempfile.TemporaryDirectory(prefix="codedrill-sandbox-cost-") as folder:
    trees = {name: Path(folder) / name for name in revisions}
    for name, revision in revisions.items():
        subprocess.run(["git", "worktree", "add", "-q", "--detach", str(trees[name]), revision],
                       cwd=REPO, check=True)  # fmt: skip
    try:
        runs = {"before": [], "after": []}
        for round_ in range(rounds):
            for name, tree in trees.items():
                runs[name].append(timed_check(tree, trees["before"] / "content"))
                print(f"round {round_ + 1} {name}: {runs[name][-1]}", flush=True)
    finally:
        for tree in trees.values():
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=REPO)

summary = {name: statistics.median(r["seconds"] for r in rs) for name, rs in runs.items()}
(ROOT / "out").mkdir(exist_ok=True)
(ROOT / "out" / "sandbox_cost.json").write_text(json.dumps({"runs": runs, "median": summary}))
print("| sandbox | runs (s) | median s | vs before |")
print("|---|---|---|---|")
for name, rs in runs.items():
    ratio = summary[name] / summary["before"]
    times = ", ".join(str(r["seconds"]) for r in rs)
    print(f"| {name}: {rs[0]['sandbox']} | {times} | {summary[name]} | {ratio:.2f}× |")
