"""How many draws each sampler needs for 1% precision on the programme's SROI ratio.

Run from the repository root:

    python benchmarks/samplers.py                 # 20 seeds, 2^10 .. 2^16 draws
    python benchmarks/samplers.py --seeds 10 --max-power 14

For each sampler (random, sobol, lhs) and each number of draws N = 2^k, the
four-site programme is run with ``--seeds`` different seeds.  For each
statistic (mean, 5th and 95th percentile of the programme's SROI ratio) the
95% half-width is 1.96 times the standard deviation of the estimate across
seeds, as a share of its average.  The table gives that half-width per N and
the first N at which it is within ``--target`` (1%).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sroi.cli.common import load_all  # noqa: E402
from sroi.engine.runner import RunPlan, run_draws  # noqa: E402

SITES = ROOT / "scenarios" / "family_action_pss"
STATISTICS = ("mean", "p5", "p95")


def estimates(ratios: np.ndarray) -> dict[str, float]:
    """The three statistics of one run's programme SROI ratios."""
    p5, p95 = np.percentile(ratios, [5, 95])
    return {"mean": float(ratios.mean()), "p5": float(p5), "p95": float(p95)}


def half_widths(runs: list[dict[str, float]]) -> dict[str, float]:
    """95% half-width of each statistic across seeds, relative to its average."""
    out = {}
    for s in STATISTICS:
        values = np.array([r[s] for r in runs])
        out[s] = float(1.96 * values.std(ddof=1) / abs(values.mean()))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--min-power", type=int, default=10)
    parser.add_argument("--max-power", type=int, default=16)
    parser.add_argument("--target", type=float, default=0.01)
    parser.add_argument("--samplers", default="random,sobol,lhs")
    args = parser.parse_args()
    scenarios = [s for _, s in load_all([str(SITES)])[0]]
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'sampler':<8}{'draws':>9}{'mean':>9}{'p5':>9}{'p95':>9}{'s/run':>8}")
    needed: dict[str, dict[str, int | None]] = {}
    for sampler in args.samplers.split(","):
        needed[sampler] = dict.fromkeys(STATISTICS)
        for power in range(args.min_power, args.max_power + 1):
            n = 2**power
            runs, start = [], time.perf_counter()
            for seed in range(args.seeds):
                plan = RunPlan.build(scenarios, seed, sampler)
                summary = run_draws(plan, n)
                ratios = summary.stored["programme"]["sroi_ratio"]
                assert summary.step == 1, "every draw must be stored"
                runs.append(estimates(ratios))
            widths = half_widths(runs)
            per_run = (time.perf_counter() - start) / args.seeds
            cells = "".join(f"{100 * widths[s]:>8.2f}%" for s in STATISTICS)
            print(f"{sampler:<8}{n:>9,}{cells}{per_run:>8.2f}", flush=True)
            for s in STATISTICS:
                if needed[sampler][s] is None and widths[s] <= args.target:
                    needed[sampler][s] = n
            if all(v is not None for v in needed[sampler].values()):
                break
    print(f"\nfirst N = 2^k with a 95% half-width within {100 * args.target:g}%:")
    print(f"{'sampler':<8}" + "".join(f"{s:>10}" for s in STATISTICS))
    for sampler, found in needed.items():
        cells = "".join(
            f"{'>' + str(2**args.max_power) if v is None else v:>10}" for v in found.values()
        )
        print(f"{sampler:<8}{cells}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
