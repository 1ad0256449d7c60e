"""What drawing costs: bit generators per value, and the four sites' draws against the floor.

Run from the repository root:

    python benchmarks/draws.py                  # N = 200,000, 3 runs each
    python benchmarks/draws.py --draws 1000000

Two tables, each figure the median of ``--repeat`` runs, with the load average:

* **per value**: nanoseconds per value on one block of 16,384 draws, for
  each candidate block generator seeded as the streams seed it (Philox by
  counter, as earlier versions did; PCG64, PCG64DXSM and SFC64 through
  ``SeedSequence(entropy=key, spawn_key=(block,))``): seeding one block,
  uniforms, standard normals, numpy's beta sampler on a PERT's shapes, and
  the PERT by inversion through the quantile table.
* **four sites**: for draws ``0 .. N-1``, the whole run (``run_draws``),
  drawing alone (every value, chunk by chunk as a run draws them:
  ``ScenarioSampler.draws`` with one shared cache per chunk), the
  same-distribution floor (``peers.numpy_floor``: numpy's default generator
  drawing the same distributions in one call per value) and the
  standard-normal floor (as many standard normals), each in wall-clock and
  CPU seconds.  On a shared machine the CPU seconds are the steadier
  figure.

To time another version of the library, put it first on the path, e.g.
``PYTHONPATH=/path/to/other/checkout python benchmarks/draws.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import peers  # noqa: E402

from sroi import load_scenario  # noqa: E402
from sroi.distributions import Pert  # noqa: E402
from sroi.engine.runner import RunPlan, run_draws  # noqa: E402
from sroi.sampling.inverse import quantiles  # noqa: E402
from sroi.sampling.sampler import ScenarioSampler, SharedDraws  # noqa: E402
from sroi.sampling.streams import BLOCK  # noqa: E402

SITES = ROOT / "scenarios" / "family_action_pss"
KEY = (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9)
PERT = Pert(20, 45, 80)


def median_of(repeat: int, fn: Callable[[], object]) -> float:
    """Median wall time of ``repeat`` calls [s], after one untimed call (which
    lets the allocator settle: a block's arrays sit at glibc's mmap threshold)."""
    return timed(repeat, fn)[0]


def timed(repeat: int, fn: Callable[[], object]) -> tuple[float, float]:
    """Median wall and CPU time of ``repeat`` calls [s], after one untimed call."""
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def load() -> str:
    """The 1-minute load average, as text."""
    return f"{os.getloadavg()[0]:.2f}"


def block(name: str, b: int = 3) -> np.random.Generator:
    """Block ``b`` of the stream with key ``KEY`` under bit generator ``name``."""
    if name == "Philox":
        bits: np.random.BitGenerator = np.random.Philox(
            key=KEY[0] | (KEY[1] << 64), counter=[0, 0, 0, b]
        )
    else:
        seq = np.random.SeedSequence(entropy=list(KEY), spawn_key=(b,))
        bits = getattr(np.random, name)(seq)
    return np.random.Generator(bits)


def per_value(repeat: int) -> list[tuple[str, list[float]]]:
    """Rows (generator, [seed us, uniform ns, normal ns, beta ns, PERT-table ns])."""
    quantiles(PERT, np.full(1, 0.5))  # build the table outside the timing
    rows = []
    for name in ("Philox", "PCG64", "PCG64DXSM", "SFC64"):
        rng = block(name)
        per = 1e9 / BLOCK
        rows.append(
            (
                name,
                [
                    median_of(repeat * 20, lambda name=name: block(name)) * 1e6,
                    median_of(repeat * 20, lambda rng=rng: rng.random(BLOCK)) * per,
                    median_of(repeat * 20, lambda rng=rng: rng.standard_normal(BLOCK)) * per,
                    median_of(repeat * 20, lambda rng=rng: rng.beta(PERT.alpha, PERT.beta, BLOCK))
                    * per,
                    median_of(repeat * 20, lambda rng=rng: quantiles(PERT, rng.random(BLOCK)))
                    * per,
                ],
            )
        )
    return rows


def four_sites(draws: int, repeat: int) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds of the whole run, drawing alone and both floors for
    draws ``0 .. draws-1`` of the four sites, and the floors' variate count."""
    files = sorted(p for p in SITES.glob("*.yaml") if not p.name.startswith("_"))
    scenarios = sorted((load_scenario(p) for p in files), key=lambda s: s.id)
    samplers = [ScenarioSampler.build(s, 0) for s in scenarios]
    plan = RunPlan.build(scenarios, 0)

    def draw_all() -> None:
        for start in range(0, draws, BLOCK):
            shared: SharedDraws = {}
            for s in samplers:
                s.draws(start, min(start + BLOCK, draws), shared)

    count = peers.numpy_floor(scenarios, draws)
    return {
        "whole run": timed(repeat, lambda: run_draws(plan, draws)),
        "drawing alone": timed(repeat, draw_all),
        "same-distribution floor": timed(repeat, lambda: peers.numpy_floor(scenarios, draws)),
        f"standard-normal floor ({count:,} values)": timed(
            repeat, lambda: np.random.default_rng(0).standard_normal(count)
        ),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=200_000, help="N for the four-site rows")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing (median kept)")
    args = ap.parse_args()

    print(f"per value on one block of {BLOCK:,} draws; load {load()}")
    head = ["seed block [us]", "uniform [ns]", "normal [ns]", "numpy beta [ns]", "PERT table [ns]"]
    print(f"{'generator':<10}" + "".join(f"{h:>19}" for h in head))
    for name, values in per_value(args.repeat):
        print(f"{name:<10}" + "".join(f"{v:>19.1f}" for v in values))

    before = load()
    rows = four_sites(args.draws, args.repeat)
    print(f"\nfour sites, N={args.draws:,}, median of {args.repeat}; load {before} -> {load()}")
    print(f"{'':<44}{'wall [s]':>10}{'CPU [s]':>10}")
    for name, (wall, cpu) in rows.items():
        print(f"{name:<44}{wall:>10.2f}{cpu:>10.2f}")
    engine = rows["whole run"]
    floors = list(rows.items())[2:]
    for name, (wall, cpu) in [("drawing alone", rows["drawing alone"]), ("whole run", engine)]:
        for floor_name, (floor_wall, floor_cpu) in floors:
            print(
                f"{name} / {floor_name.split(' (')[0]}: {wall / floor_wall:.2f}x wall, "
                f"{cpu / floor_cpu:.2f}x CPU"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
