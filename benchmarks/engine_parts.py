"""The engine against numpy floors, part by part, measured side by side in one run.

Run from the repository root:

    python benchmarks/engine_parts.py                 # N = 10^6, 3 runs each
    python benchmarks/engine_parts.py --draws 200000  # lighter, for a busy machine

Rows:

* **whole run**: ``run_draws`` for the four-site programme against numpy
  drawing the same distributions (``peers.numpy_floor``: one variate per
  uncertain value per draw, shared values once, normal scores of correlated
  values over whole blocks).
* **arithmetic**: the engine's equations and metrics (``evaluate``) for one
  site on one chunk of inputs already drawn, against a minimal numpy version
  of the same site that gives its value and cost PVs per draw only (set-up
  outside the timing, as a spreadsheet's structure is; it is checked to
  agree with the engine to 1e-9).  Timed in CPU time, the median of
  5 x ``--repeat`` calls each.

Each whole-run figure is the median wall time of ``--repeat`` runs.  The
sides of each comparison are run in turn (engine, floor, normals, engine,
...), so a machine whose speed drifts during the measurement slows every
side alike; the load average is printed before each row.
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
from sroi.engine.drivers import caseload, cost_driver, outcome_driver  # noqa: E402
from sroi.engine.model import discounts  # noqa: E402
from sroi.engine.runner import RunPlan, evaluate, run_draws  # noqa: E402
from sroi.sampling.sampler import Inputs  # noqa: E402
from sroi.scenario.model import Scenario  # noqa: E402
from sroi.scenario.money import price_factors  # noqa: E402

SITES = ROOT / "scenarios" / "family_action_pss"


def medians_alternating(
    repeat: int,
    fns: list[Callable[[], object]],
    clock: Callable[[], float] = time.perf_counter,
) -> list[float]:
    """Median time of ``repeat`` calls of each of ``fns`` [s], called in turn
    (a, b, c, a, b, c, ...): a machine whose speed drifts during the
    measurement slows every side alike, so their ratios stay fair."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, kept in zip(fns, times, strict=True):
            start = clock()
            fn()
            kept.append(clock() - start)
    return [statistics.median(t) for t in times]


def load() -> str:
    """The 1-minute load average, as text."""
    return f"{os.getloadavg()[0]:.2f}"


def minimal_site(scenario: Scenario, x: Inputs) -> Callable[[], tuple[np.ndarray, np.ndarray]]:
    """A minimal numpy version of one site: value and cost PV per draw.

    The structure (each outcome's PV weight per cohort year under the
    base-case duration, the cost discount vector) is set up once; the
    returned function does only per-draw arithmetic.  Outcomes with an
    uncertain duration get their weights per draw, as the model defines them.
    """
    years = scenario.years
    big_h = 80
    prices = price_factors(scenario)
    disc = discounts(scenario, x, big_h)
    cost_df = disc.cost[0, :years]
    outcomes = []
    for oid, o in scenario.outcomes.items():
        df = disc.outcome[oid][0]
        lag = int(o.lag.central())
        if o.spread is not None:
            weights = df[lag : lag + years]  # a spread keeps the impact's PV at year b
            outcomes.append((oid, o, weights, None))
        else:
            k = int(np.ceil(o.duration.distribution().support()[1]))
            hankel = np.array([[df[lag + t + j] for t in range(years)] for j in range(k)])
            outcomes.append((oid, o, None, hankel))

    def col(path: str) -> np.ndarray:
        return np.reshape(np.asarray(x[path], dtype=np.float64), (-1, 1))

    def adj(oid: str, o: object, name: str) -> np.ndarray:
        own = getattr(o, name) is not None
        return col(f"outcomes.{oid}.{name}" if own else f"adjustments.{name}")

    def run() -> tuple[np.ndarray, np.ndarray]:
        c = caseload(scenario, x)
        value = 0.0
        for oid, o, weights, hankel in outcomes:
            p = f"outcomes.{oid}"
            impact = (
                outcome_driver(o.per, c)
                * col(f"{p}.probability")
                * (col(f"{p}.proxy") * prices[f"{p}.proxy"])
                * (1 - adj(oid, o, "deadweight"))
                * (1 - adj(oid, o, "attribution"))
                * (1 - adj(oid, o, "displacement"))
            )
            if weights is None:
                keep = 1 - adj(oid, o, "drop_off")
                d = col(f"{p}.duration")
                w = np.hstack([np.clip(d - j, 0, 1) * keep**j for j in range(len(hankel))])
                weights = w @ hankel
            value = value + np.sum(impact * weights, axis=1)
        post = "costs.coordinator"
        cash = (
            col(f"{post}.fte")
            * col(f"{post}.salary")
            * prices[f"{post}.salary"]
            * (1 + col(f"{post}.on_costs"))
            * np.ones((1, years))
        )
        for lid, line in scenario.costs.lines.items():
            path = f"costs.lines.{lid}.amount"
            cash = cash + col(path) * prices[path] * cost_driver(line.per, c)
        path = "volunteers.expenses_per_hour"
        cash = cash + c.contact_hours * col(path) * prices[path]
        cash = cash * (1 + col("costs.overhead_rate")) * (1 + col("costs.optimism_bias"))
        if scenario.volunteers.value_time_as_input:
            path = "volunteers.value_per_hour"
            cash = cash + c.volunteer_hours * col(path) * prices[path]
        return np.asarray(value), cash @ cost_df

    return run


def measure(draws: int, chunk: int, repeat: int) -> list[tuple[str, float, str, str]]:
    """The three rows: (comparison, ratio, target, detail), timed side by side."""
    files = sorted(p for p in SITES.glob("*.yaml") if not p.name.startswith("_"))
    scenarios = [load_scenario(p) for p in files]
    plan = RunPlan.build(scenarios, 0)
    n = draws
    rows = []

    before = load()
    values = peers.numpy_floor(scenarios, n)
    engine, floor, normals = medians_alternating(
        repeat,
        [
            lambda: run_draws(plan, n),
            lambda: peers.numpy_floor(scenarios, n),
            lambda: np.random.default_rng(0).standard_normal(values),
        ],
    )
    rows.append(
        (
            "engine / same-distribution numpy floor",
            engine / floor,
            "<= 1.3x",
            f"engine {engine:.2f} s, floor {floor:.2f} s, N={n:,}, four sites; load {before}",
        )
    )
    rows.append(
        (
            "engine / standard-normal floor",
            engine / normals,
            "<= 3x",
            f"engine {engine:.2f} s, {values:,} standard normals {normals:.2f} s; load {before}",
        )
    )

    site = next(s for s in scenarios if s.id == "oxford")
    one = RunPlan.build([site], 0)
    x = one.samplers[0].draws(0, chunk)
    minimal = minimal_site(site, x)
    _, metrics = evaluate(one, [x])
    value, cost = minimal()
    np.testing.assert_allclose(value, metrics["oxford"]["value_pv"], rtol=1e-9)
    np.testing.assert_allclose(cost, metrics["oxford"]["cost_pv"], rtol=1e-9)
    before = load()
    # CPU time: both sides run in this one thread, and on a shared machine
    # CPU time is the steadier figure.
    arithmetic, bare = medians_alternating(
        repeat * 5, [lambda: evaluate(one, [x]), minimal], time.process_time
    )
    rows.append(
        (
            "arithmetic / minimal numpy, one site",
            arithmetic / bare,
            "<= 3x",
            f"engine {arithmetic * 1e3:.0f} ms, minimal {bare * 1e3:.0f} ms of CPU, "
            f"{chunk:,} draws of oxford; load {before}",
        )
    )
    return rows


def rows(quick: bool) -> list[tuple[str, str, str, str]]:
    """The rows as ``benchmarks/bench.py`` prints them: 10^6 draws and 3 runs
    each, or 50,000 draws and one run with ``quick``."""
    measured = measure(50_000 if quick else 1_000_000, 16_384, 1 if quick else 3)
    return [(name, f"{ratio:.2f}x", target, detail) for name, ratio, target, detail in measured]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=1_000_000, help="N for the whole-run rows")
    ap.add_argument("--chunk", type=int, default=16_384, help="draws for the arithmetic row")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing (median kept)")
    args = ap.parse_args()
    measured = measure(args.draws, args.chunk, args.repeat)
    width = max(len(r[0]) for r in measured)
    print(f"{'comparison':<{width}}  {'ratio':>7}  {'target':>8}  detail")
    for name, ratio, target, detail in measured:
        print(f"{name:<{width}}  {ratio:>6.2f}x  {target:>8}  {detail}")
    print(f"load average at the end: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
