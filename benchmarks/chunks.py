"""Run time and peak memory of the four-site programme by chunk size,
measured side by side in one run.

Run from the repository root:

    python benchmarks/chunks.py                   # N = 10^6, 3 runs each
    python benchmarks/chunks.py --draws 300000 --repeat 5

Each run is a fresh process that loads the four sites, runs ``run_draws``
once with the chunk size given (``auto``: the one a run chooses when none
is given, ``sroi/engine/chunking.py``) and reports its wall and CPU time
and its peak resident memory.  The chunk sizes are run in turn (16384,
32768, ..., auto, 16384, ...), so a machine whose speed drifts slows every
size alike.  Printed: medians of ``--repeat`` runs, each beside one block's,
with the load average before and after.  Results are the same bits for
every chunk size (``tests/test_chunking.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: One run, in a fresh process: argv[1] draws, argv[2] chunk size or "auto".
ONE_RUN = """
import json, resource, sys, time
from pathlib import Path
from sroi import load_scenario
from sroi.engine.runner import RunPlan, run_draws
sites = sorted(p for p in Path("scenarios/family_action_pss").glob("*.yaml")
               if not p.name.startswith("_"))
plan = RunPlan.build([load_scenario(p) for p in sites], 0)
draws, chunk = int(sys.argv[1]), sys.argv[2]
done = []
wall, cpu = time.perf_counter(), time.process_time()
run_draws(plan, draws, chunk_size=None if chunk == "auto" else int(chunk), progress=done.append)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"wall": wall, "cpu": cpu, "peak": peak, "first": done[0]}))
"""

SIZES = ("16384", "32768", "65536", "131072", "auto")


def one_run(draws: int, chunk: str) -> dict[str, float]:
    """Wall and CPU time [s], peak memory [MiB] and first chunk [draws] of one run."""
    out = subprocess.run(
        [sys.executable, "-c", ONE_RUN, str(draws), chunk],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=1_000_000, help="draws per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each chunk size")
    args = parser.parse_args()
    before = os.getloadavg()[0]
    runs: dict[str, list[dict[str, float]]] = {size: [] for size in SIZES}
    for _ in range(args.repeat):
        for size in SIZES:
            runs[size].append(one_run(args.draws, size))
    after = os.getloadavg()[0]

    def median(size: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[size])

    print(
        f"four sites, {args.draws:,} draws, medians of {args.repeat} runs;"
        f" load {before:.2f} to {after:.2f} on {os.cpu_count()} CPUs"
    )
    print(f"{'chunk':>16}  {'wall s':>7}  {'CPU s':>7}  {'CPU / 16384':>11}  {'peak MiB':>8}")
    base = median("16384", "cpu")
    for size in SIZES:
        name = f"auto ({int(runs[size][0]['first']):,})" if size == "auto" else f"{int(size):,}"
        cpu = median(size, "cpu")
        print(
            f"{name:>16}  {median(size, 'wall'):7.2f}  {cpu:7.2f}  {cpu / base:11.3f}"
            f"  {median(size, 'peak'):8.0f}"
        )


if __name__ == "__main__":
    main()
