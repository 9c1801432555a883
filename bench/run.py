"""Run every benchmark and print one table: each figure next to its baseline from the same
run, and their ratio. Usage: python -m bench.run"""
from __future__ import annotations

import importlib
import sys

BENCHES = ["bench.startup", "bench.scoring", "bench.big_transcripts", "bench.stall", "bench.streaming", "bench.tokens"]


def main(names: list[str]) -> int:
    rows = []
    for name in names or BENCHES:
        rows += importlib.import_module(name).run()
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'mlsd':>15}  {'baseline':>15}  {'ratio':>6}")
    for label, ours, base, unit in rows:
        print(f"{label:<{width}}  {ours:>8.1f} {unit:<6}  {base:>8.1f} {unit:<6}  {ours / base:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
