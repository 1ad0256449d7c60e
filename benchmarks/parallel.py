"""Speed-up of ``sroi run --workers 2`` over ``--workers 1``, measured honestly.

Run from the repository root:

    python benchmarks/parallel.py                  # 10^6 draws, 5 runs each
    python benchmarks/parallel.py --draws 100000 --runs 3

Each run is a fresh ``sroi run scenarios/family_action_pss --json`` child
process. Runs alternate between one and two workers so that a change in the
machine's load falls on both sides alike. For each run the wall time and the
CPU time (user + system of the child and its worker processes, from
``getrusage``) are printed with the 1-minute load average before it; the
summary gives the medians and the speed-up of the medians.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITES = "scenarios/family_action_pss"


@dataclass(frozen=True)
class Timing:
    """One child run: wall time [s], CPU time [s] and load average before it."""

    workers: int
    wall: float
    cpu: float
    load: float


def _children_cpu() -> float:
    """User + system CPU time of finished child processes so far [s]."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_run(workers: int, draws: int) -> Timing:
    """Run the four sites once on ``workers`` processes and time it."""
    cmd = [sys.executable, "-m", "sroi", "run", SITES, "--draws", str(draws), "--json"]
    cmd += ["--workers", str(workers)]
    load = os.getloadavg()[0]
    cpu0, start = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    return Timing(workers, wall, _children_cpu() - cpu0, load)


def measure(draws: int, runs: int, echo: bool = True) -> dict[int, list[Timing]]:
    """``runs`` timings each of 1 and 2 workers, alternating (1, 2, 2, 1, 1, ...)."""
    out: dict[int, list[Timing]] = {1: [], 2: []}
    for i in range(runs):
        order = (1, 2) if i % 2 == 0 else (2, 1)
        for workers in order:
            t = time_run(workers, draws)
            out[workers].append(t)
            if echo:
                print(
                    f"  workers={t.workers}  wall {t.wall:6.2f} s  cpu {t.cpu:6.2f} s"
                    f"  load {t.load:.2f}",
                    flush=True,
                )
    return out


def summarise(timings: dict[int, list[Timing]]) -> dict[str, float]:
    """Medians of wall and CPU time per worker count, and the speed-up."""
    med = {
        f"{key}{w}": statistics.median(getattr(t, key) for t in timings[w])
        for w in (1, 2)
        for key in ("wall", "cpu")
    }
    loads = [t.load for ts in timings.values() for t in ts]
    med["speedup"] = med["wall1"] / med["wall2"]
    med["extra_cpu"] = med["cpu2"] / med["cpu1"] - 1.0
    med["load_min"], med["load_max"] = min(loads), max(loads)
    return med


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="runs per worker count")
    args = parser.parse_args()
    print(f"sroi run {SITES} --draws {args.draws:,}; {os.cpu_count()} CPUs")
    m = summarise(measure(args.draws, args.runs))
    print(
        f"median wall: 1 worker {m['wall1']:.2f} s, 2 workers {m['wall2']:.2f} s"
        f" -> speed-up {m['speedup']:.2f}x\n"
        f"median CPU:  1 worker {m['cpu1']:.2f} s, 2 workers {m['cpu2']:.2f} s"
        f" -> {100 * m['extra_cpu']:+.0f}% CPU with 2 workers\n"
        f"load average (1 min) {m['load_min']:.2f} to {m['load_max']:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
