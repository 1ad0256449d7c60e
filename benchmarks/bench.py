"""Benchmarks of the sroi engine, each figure measured side by side in one run.

Run from the repository root:

    python benchmarks/bench.py            # quick: N = 10^6 for the floor, no 10^7
    python benchmarks/bench.py --full     # adds the 10^7-draw scaling row

Prints one table.  Ratios compare two timings taken in this same process run
(best of ``--repeat`` runs each), so machine load affects both sides alike.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import peers  # noqa: E402

from sroi import load_scenario  # noqa: E402
from sroi.engine.runner import RunPlan, evaluate, run_draws  # noqa: E402

SITES = ROOT / "scenarios" / "family_action_pss"


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """Fastest wall time of ``repeat`` calls [s]."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def child(cmd: list[str], repeat: int) -> tuple[float, float]:
    """Best wall time [s] and peak RSS [MiB] of a command run ``repeat`` times."""
    best, peak = float("inf"), 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        best = min(best, time.perf_counter() - start)
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return best, peak / 1024


def peak_rss_of(cmd: list[str]) -> tuple[float, float]:
    """Wall time [s] and peak RSS [MiB] of one run of ``cmd`` (via /usr/bin/time)."""
    start = time.perf_counter()
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *cmd],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - start
    return wall, int(out.stderr.strip().splitlines()[-1]) / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=1_000_000, help="N for the floor and workers")
    ap.add_argument("--naive-draws", type=int, default=300, help="draws of the naive peer")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing (best kept)")
    ap.add_argument("--full", action="store_true", help="include the N = 10^7 scaling row")
    args = ap.parse_args()

    files = sorted(p for p in SITES.glob("*.yaml") if not p.name.startswith("_"))
    scenarios = [load_scenario(p) for p in files]
    plan = RunPlan.build(scenarios, 0)
    n = args.draws
    rows: list[tuple[str, str, str, str]] = []

    # Floor: the engine against numpy generating the same variates.
    engine = best_of(args.repeat, lambda: run_draws(plan, n))
    variates = peers.numpy_floor(scenarios, n)
    floor = best_of(args.repeat, lambda: peers.numpy_floor(scenarios, n))
    rows.append(
        (
            "floor: engine / numpy variates",
            f"{engine / floor:.2f}x",
            "<= 3x",
            f"engine {engine:.2f} s, numpy {floor:.2f} s for {variates:,} variates",
        )
    )

    # Naive peer: one draw at a time in plain Python, extrapolated to N.
    rng = np.random.default_rng(0)
    k = args.naive_draws
    models = [peers.naive_model(s) for s in scenarios]
    naive = best_of(1, lambda: [model(rng) for _ in range(k) for model in models])
    naive_n = naive * n / k
    rows.append(
        (
            "naive per-draw loop / engine",
            f"{naive_n / engine:,.0f}x faster",
            ">= 300x",
            f"{naive / k * 1e3:.2f} ms per draw of 4 sites; {naive_n:,.0f} s at N={n:,}",
        )
    )

    # squigglepy, if installed: its vectorised samplers feeding the same arithmetic.
    try:
        import squigglepy  # noqa: F401
    except ImportError:
        rows.append(("squigglepy / engine", "n/a", "beat it", "pip install '.[bench]'"))
    else:

        def with_squigglepy() -> None:
            evaluate(plan, [peers.squigglepy_inputs(s, n) for s in plan.scenarios])

        sq = best_of(1, with_squigglepy)
        rows.append(
            (
                "squigglepy / engine",
                f"{sq / engine:.2f}x",
                "> 1x (beat it)",
                f"squigglepy {sq:.2f} s, engine {engine:.2f} s",
            )
        )

    # Workers: the same run on 2 processes.
    two = best_of(args.repeat, lambda: run_draws(plan, n, workers=2))
    rows.append(
        (
            "workers: 1 / 2 processes",
            f"{engine / two:.2f}x",
            ">= 1.7x",
            f"{engine:.2f} s vs {two:.2f} s at N={n:,}; {os.cpu_count()} CPUs",
        )
    )

    # Start-up.
    py = [sys.executable]
    sroi = [sys.executable, "-m", "sroi"]
    bare, _ = child([*py, "-c", "pass"], 5)
    helptime, _ = child([*sroi, "--help"], 5)
    validate, _ = child([*sroi, "validate", "-q", "scenarios"], 5)
    rows.append(
        (
            "start-up: sroi --help",
            f"+{helptime - bare:.3f} s",
            "<= +0.3 s",
            f"{helptime:.3f} s vs python -c pass {bare:.3f} s",
        )
    )
    rows.append(
        (
            "start-up: sroi validate scenarios",
            f"+{validate - bare:.3f} s",
            "<= +0.3 s",
            f"{validate:.3f} s",
        )
    )

    # End to end and scaling.
    sizes = [10_000, 100_000, 1_000_000] + ([10_000_000] if args.full else [])
    for size in sizes:
        wall, rss = peak_rss_of(
            [*sroi, "run", "scenarios/family_action_pss", "--draws", str(size), "--json"]
        )
        target = "<= 1024 MiB" if size == 10_000_000 else ""
        rows.append(
            (
                f"end to end: sroi run, N={size:,}",
                f"{wall:.1f} s",
                target,
                f"peak RSS {rss:,.0f} MiB",
            )
        )

    # Sobol analysis of one site at 2^13 base samples.
    try:
        from sroi.analysis.sobol import sobol
    except ImportError:
        rows.append(("sobol: one site, 2^13", "n/a", "", "sroi.analysis.sobol missing"))
    else:
        site = SITES / "oxford.yaml"
        t = best_of(1, lambda: sobol(str(site), base_samples=2**13, seed=0))
        rows.append(("sobol: one site, 2^13 base samples", f"{t:.1f} s", "", "oxford"))

    print(
        f"sroi benchmarks | {platform.platform()} | {platform.processor() or platform.machine()}"
        f" | {os.cpu_count()} CPUs | Python {platform.python_version()} | numpy {np.__version__}"
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'result':>16}  {'target':>14}  detail")
    for name, result, target, detail in rows:
        print(f"{name:<{width}}  {result:>16}  {target:>14}  {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
