"""Benchmarks of ``sroi sweep``: cases per minute, Dask overhead, memory in cases.

Run from the repository root, with the Dask extra installed
(``pip install -e '.[dask]'``):

    python benchmarks/sweep_bench.py              # about 15 minutes on 2 CPUs
    python benchmarks/sweep_bench.py --repeat 5   # more repeats per timing

Every case is Oxford with its own referrals a year (a grid of numbered
areas), so the cases are alike and the timings compare pools, not models.
Timings are medians of ``--repeat`` runs, with the 1-minute load average
before each set.  Peak memory is the resident set of a child process that
runs one sweep in process; cases run one after another, so it should not
grow with their number.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OXFORD = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"


def write_grid(folder: Path, cases: int) -> Path:
    """A grid of ``cases`` areas differing in referrals a year."""
    rows = "".join(f"area_{i:04d},{20 + i % 60}\n" for i in range(cases))
    path = folder / f"grid_{cases}.csv"
    path.write_text("area,delivery.referrals_per_year\n" + rows, encoding="utf-8")
    return path


def timed_sweep(grid: Path, out: Path, draws: int, **pool: object) -> float:
    """Wall time of one sweep [s], including starting and stopping its pool."""
    from sroi.sweep import sweep

    start = time.perf_counter()
    report = sweep(OXFORD, out, grid=grid, draws=draws, seed=0, **pool)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    assert not report.failures and report.ran == report.cases
    return seconds


def median_of(repeat: int, fn: object) -> tuple[float, float]:
    """Median of ``repeat`` calls [s] and the load average before them."""
    load = os.getloadavg()[0]
    times = [fn() for _ in range(repeat)]  # type: ignore[operator]
    return statistics.median(times), load


def peak_rss_kib() -> int:
    """This process's peak resident set [KiB]: ``VmHWM`` where Linux gives it.

    ``getrusage`` is not used on Linux: its ``ru_maxrss`` keeps the parent's
    peak across ``fork`` and ``exec``, so a child started by a large parent
    reports the parent's size.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def child_peak(cases: int, draws: int, folder: Path) -> float:
    """Peak RSS [MiB] of a child process that sweeps ``cases`` cases in process."""
    command = [sys.executable, __file__, "--child", str(cases), "--memory-draws", str(draws)]
    out = subprocess.run(
        [*command, "--folder", str(folder)], check=True, capture_output=True, text=True
    )
    return int(out.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100, help="cases for the timings")
    parser.add_argument("--draws", type=int, default=10_000, help="draws per case (timings)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    parser.add_argument(
        "--memory-cases", default="10,100,1000", help="case counts for the memory rows"
    )
    parser.add_argument("--memory-draws", type=int, default=2_000, help="draws per case (memory)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--memory-only", action="store_true", help="skip the timings; measure memory only"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one memory measurement, in a fresh process
        timed_sweep(write_grid(args.folder, args.child), args.folder / "m.csv", args.memory_draws)
        print(peak_rss_kib())
        return

    import numpy as np

    rows: list[tuple[str, str, str]] = []
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        grid = write_grid(folder, args.cases)
        out = folder / "out.csv"
        pools = {
            "in process (1 worker)": {},
            "process pool, 2 workers": {"workers": 2},
            "Dask LocalCluster, 1 worker": {"scheduler": "local:1"},
            "Dask LocalCluster, 2 workers": {"scheduler": "local:2"},
        }
        per_minute = {}
        for name, pool in pools.items() if not args.memory_only else ():
            seconds, load = median_of(
                args.repeat, lambda pool=pool: timed_sweep(grid, out, args.draws, **pool)
            )
            per_minute[name] = args.cases / seconds * 60
            figures[name] = {"seconds": seconds, "load": load, "cases_per_minute": per_minute[name]}
            rows.append(
                (
                    f"{name}: {args.cases} cases x {args.draws:,} draws",
                    f"{per_minute[name]:.0f} cases/min",
                    f"median {seconds:.1f} s of {args.repeat}; load {load:.2f}",
                )
            )
        for workers, here, dask in (
            (
                (1, "in process (1 worker)", "Dask LocalCluster, 1 worker"),
                (2, "process pool, 2 workers", "Dask LocalCluster, 2 workers"),
            )
            if not args.memory_only
            else ()
        ):
            overhead = per_minute[here] / per_minute[dask] - 1
            figures[f"dask overhead, {workers} worker(s)"] = overhead
            rows.append(
                (
                    f"Dask overhead at {workers} worker(s)",
                    f"{overhead:+.1%}",
                    f"{dask} against {here}",
                )
            )
        for workers in (1, 2) if not args.memory_only else ():

            def start_stop(workers: int = workers) -> float:
                from sroi.sweep.cluster import open_pool

                start = time.perf_counter()
                with open_pool(f"local:{workers}"):
                    pass
                return time.perf_counter() - start

            seconds, load = median_of(args.repeat, start_stop)
            figures[f"LocalCluster start and stop, {workers} worker(s)"] = seconds
            rows.append(
                (
                    f"Dask LocalCluster start and stop, {workers} worker(s)",
                    f"{seconds:.1f} s",
                    f"median of {args.repeat}; load {load:.2f}; inside the Dask timings above",
                )
            )
        peaks = {}
        for cases in (int(c) for c in args.memory_cases.split(",")):
            peaks[cases] = child_peak(cases, args.memory_draws, folder)
            rows.append(
                (
                    f"peak memory, {cases:,} cases x {args.memory_draws:,} draws",
                    f"{peaks[cases]:.0f} MiB",
                    "in process, child RSS",
                )
            )
        spread = max(peaks.values()) / min(peaks.values()) - 1
        figures["peaks_mib"] = peaks
        figures["memory_spread"] = spread
        rows.append(("memory: largest / smallest - 1", f"{spread:.1%}", "target within 20%"))

    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"numpy {np.__version__}"
    )
    print("| benchmark | result | detail |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
