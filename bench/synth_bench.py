"""Generator speed: entities per second for the synthetic network at 10k and 100k nodes.

Run: `.venv/bin/python bench/synth_bench.py [--links-per-entity 5] [--sizes 10000 100000]`.
Writes to a temporary directory, removed afterwards. Pure Python, one core.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from disrupt.intel.synth import Params, generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--links-per-entity", type=float, default=5.0)
    args = parser.parse_args()
    # CPU seconds beside wall seconds: on a shared machine the wall clock mostly measures the neighbours.
    header = ["nodes", "links", "entities", "wall s", "cpu s", "entities/s", "MB"]
    print(" ".join(f"{h:>10}" for h in header))
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            out = Path(tmp) / f"net{size}.ftm.json"
            started, cpu_started = time.perf_counter(), time.process_time()
            counts = generate(Params(seed=7, entities=size, links_per_entity=args.links_per_entity), out)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            megabytes = out.stat().st_size / 1e6
            row = [counts["nodes"], counts["links"], counts["entities"], f"{seconds:.1f}", f"{cpu:.1f}"]
            row += [f"{counts['entities'] / seconds:.0f}", f"{megabytes:.0f}"]
            print(" ".join(f"{value:>10}" for value in row))


if __name__ == "__main__":
    main()
