"""The kill rate of `make mutate` per module, read from mutmut's results in mutants/.

    .venv/bin/python benchmarks/mutation_rate.py [MUTANT_GLOB ...]

A mutant counts as caught when a test failed or timed out on it; "no tests" means no test
ran the mutated function at all. Survivors are listed by name: `mutmut show NAME` shows one.
"""

import fnmatch
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from mutmut.stats import status_by_exit_code

CAUGHT = {"killed", "timeout"}


def main(patterns: list[str]) -> None:
    by_module: dict[str, Counter] = defaultdict(Counter)
    survivors = []
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            if patterns and not any(fnmatch.fnmatch(name, p) for p in patterns):
                continue
            status = status_by_exit_code[code]
            module = name.rsplit(".", 1)[0]  # the mutated function is the last part
            by_module[module][status] += 1
            if status not in CAUGHT | {"not checked"}:
                survivors.append(f"{status}: {name}")
    print(f"{'module':<32} {'mutants':>7} {'caught':>6} {'rate':>6}  other")
    for module, counts in sorted(by_module.items()):
        checked = sum(n for status, n in counts.items() if status != "not checked")
        caught = sum(counts[s] for s in CAUGHT)
        rate = f"{100 * caught / checked:.0f} %" if checked else "-"
        other = ", ".join(f"{n} {s}" for s, n in counts.items() if s not in CAUGHT)
        print(f"{module:<32} {checked:>7} {caught:>6} {rate:>6}  {other}")
    print(*survivors, sep="\n")


if __name__ == "__main__":
    main(sys.argv[1:])
