"""Invariants of price years, value profiles and health discounting.

* A ``spread`` moves value in time and never changes its present value.
* ``price_year=Y`` scales every money metric by one factor and leaves every
  ratio and count unchanged.
* Converting a scenario to another price year and back changes nothing.

Scenarios come from ``tests/strategies.py``; tolerances are stated beside
each check with the reason.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import strategies as s
from hypothesis import given
from hypothesis import strategies as st

import sroi
from sroi.engine.metrics import SPLIT_METRICS
from sroi.engine.runner import PROGRAMME
from sroi.prices import GDP_DEFLATOR, price_factor
from sroi.results.results import Results
from sroi.scenario.money import with_price_year

CORPUS = Path(__file__).parent / "corpus"
SEEDS = st.integers(0, 2**32 - 1)
SPLIT_KEYS = tuple(f"{split}.{key}" for split, keys in SPLIT_METRICS.items() for key in keys)
DRAWS = st.integers(0, 16)
YEARS = st.sampled_from(sorted(GDP_DEFLATOR))

#: Metrics in money [currency]: they scale with the price year.
MONEY = (
    "cost_total",
    "cost_pv",
    "cash_cost_pv",
    "value_pv",
    "value_pv_cashable",
    "public_value_pv",
    "npv",
    "unit_cost",
    "cost_per_case_averted",
)
#: Metrics that are ratios of money, or counts: unchanged by the price year.
UNCHANGED = (
    "referrals",
    "users",
    "engaged_users",
    "cases_averted",
    "volunteer_hours",
    "sroi_ratio",
    "net_sroi_ratio",
    "public_roi",
    "cashable_roi",
)


def series(results: Results, metric: str, name: str = PROGRAMME) -> np.ndarray:
    """The base case followed by every draw of one metric."""
    base = np.asarray(results.base[name][metric], dtype=np.float64)
    if results.draws == 0:
        return base.copy()
    return np.concatenate([base, results.metric(metric, name)])


def scale(results: Results, name: str = PROGRAMME) -> np.ndarray:
    """Magnitude of the money behind a draw: |value| + cost, for tolerances."""
    return np.abs(series(results, "value_pv", name)) + np.abs(series(results, "cost_pv", name))


def unspread(data: s.Data) -> s.Data:
    """``data`` with every spread removed: each impact booked at year b."""
    out = copy.deepcopy(data)
    for outcome in out["outcomes"].values():
        outcome.pop("spread", None)
    return out


@given(data=s.scenario_data(spreads=True), draws=DRAWS, seed=SEEDS)
def test_spread_leaves_value_pv_unchanged(data: s.Data, draws: int, seed: int) -> None:
    """A spread (any weights, start, lag and schedule) keeps every outcome's
    present value: A = impact DF(b) / sum_j w_j DF(b+S+j) makes the payments'
    PV impact DF(b) exactly; rel 1e-12 covers the rounding of that sum."""
    spread = sroi.run(s.build(data), draws=draws, seed=seed)
    lump = sroi.run(s.build(unspread(data)), draws=draws, seed=seed)
    size = scale(lump) + 1.0
    for metric in ("value_pv", "value_pv_cashable", "public_value_pv", *SPLIT_KEYS):
        a, b = series(spread, metric), series(lump, metric)
        assert np.allclose(a, b, rtol=1e-12, atol=1e-12 * size), metric


def reweighted(data: s.Data, change: Callable[[float], float]) -> s.Data:
    """``data`` with ``change`` applied to every spread's weights (flat ones
    written out)."""
    out = copy.deepcopy(data)
    for outcome in out["outcomes"].values():
        spread = outcome.get("spread")
        if spread is not None:
            weights = spread.get("weights") or [1.0] * spread["years"]
            spread["weights"] = [change(w) for w in weights]
    return out


@given(data=s.scenario_data(spreads=True), draws=DRAWS, seed=SEEDS)
def test_tiny_spread_weights_spread_as_their_ratios(data: s.Data, draws: int, seed: int) -> None:
    """Only the weights' ratios matter: weights scaled down to subnormal
    numbers (about 1e-319) spread value as the same numbers scaled back up.
    Once, their sum times a discount factor could round to 0 and the value
    spread to infinity (and NaN). Scaling by powers of two is exact, so only
    the rounding of sums may differ (rel 1e-12)."""
    tiny = reweighted(data, lambda w: math.ldexp(w, -1060))
    back = reweighted(tiny, lambda w: math.ldexp(w, 1060))  # what the subnormals hold
    a_run = sroi.run(s.build(tiny), draws=draws, seed=seed)
    b_run = sroi.run(s.build(back), draws=draws, seed=seed)
    for metric in ("value_pv", "npv", "payback_year", *SPLIT_KEYS):
        a, b = series(a_run, metric), series(b_run, metric)
        assert np.all(np.isfinite(a) | np.isnan(b)), metric
        assert np.allclose(a, b, rtol=1e-12, atol=0, equal_nan=True), metric


def test_subnormal_spread_weights(tmp_path: Path) -> None:
    """``weights: [1e-320, 0]`` pays everything in the first year, as [1, 0]
    does: once, it gave a NaN value PV, P(return > 1) of 100% and payback in
    year 1."""
    base = (CORPUS / "_base.yaml").read_text(encoding="utf-8")
    paths = []
    for weights in ("[1e-320, 0]", "[1, 0]"):
        text = base.replace(
            "    duration: {uniform: [1, 2.5]}\n",
            f"    duration: 1\n    spread: {{years: 2, weights: {weights}}}\n",
        )
        paths.append(tmp_path / f"spread_{len(paths)}.yaml")
        paths[-1].write_text(text, encoding="utf-8")
    # A file refuses a number this small (sroi.limits.MIN_MAGNITUDE); a
    # scenario built in Python is validated by its model alone.
    with pytest.raises(sroi.ScenarioError, match="at least 1e-12 in size"):
        sroi.load_scenario(paths[0])
    plain_scenario = sroi.load_scenario(paths[1])
    data = plain_scenario.model_dump(exclude_none=True)
    data["outcomes"]["nhs_costs"]["spread"]["weights"] = [1e-320, 0.0]
    tiny_scenario = sroi.Scenario.model_validate(data)
    runs = [sroi.run(s, draws=50, seed=1) for s in (tiny_scenario, plain_scenario)]
    tiny, plain = runs
    assert np.all(np.isfinite(series(tiny, "value_pv")))
    # 1e-320 is 2024 x 2^-1074: rescaled, 1.976..., not 1, so sums round apart.
    for metric in ("value_pv", "sroi_ratio", "payback_year"):
        np.testing.assert_allclose(series(tiny, metric), series(plain, metric), rtol=1e-12)


@given(data=s.scenario_data(), year=YEARS, draws=DRAWS, seed=SEEDS)
def test_price_year_scales_money_by_one_factor(
    data: s.Data, year: int, draws: int, seed: int
) -> None:
    """Every money metric is multiplied by index(Y) / index(2011) and nothing
    else moves. Each money input is converted by its own factor, whose ratio to
    the old one is that same number up to rounding (rel 1e-12); sums of mixed
    sign are compared against the size of what was summed."""
    base = sroi.run(s.build(data), draws=draws, seed=seed)
    moved = sroi.run(s.build(data), draws=draws, seed=seed, price_year=year)
    k = GDP_DEFLATOR[year] / GDP_DEFLATOR[data["price_year"]]
    size = scale(base) + 1.0
    for metric in MONEY:
        a, b = series(moved, metric), k * series(base, metric)
        same = np.isclose(a, b, rtol=1e-9, atol=1e-9 * k * size) | (np.isnan(a) & np.isnan(b))
        assert same.all(), metric
    cost = np.abs(series(base, "cash_cost_pv")) + np.abs(series(base, "cost_pv"))
    for metric in UNCHANGED:
        a, b = series(moved, metric), series(base, metric)
        slack = 1e-9 * (1.0 + size / np.maximum(cost, 1e-300))
        same = np.isclose(a, b, rtol=1e-9, atol=slack) | (np.isnan(a) & np.isnan(b))
        assert same.all(), metric
    assert moved.scenarios[0].price_year == year
    assert moved.to_dict()["price_year"] == year


@given(data=s.scenario_data(), year=YEARS)
def test_converting_to_a_year_and_back_is_the_identity(data: s.Data, year: int) -> None:
    """Every money value keeps its own price year through both conversions, so
    the round trip gives back the same factors and the same base case (rel 1e-12)."""
    scenario = s.build(data)
    back = with_price_year(with_price_year(scenario, year), scenario.price_year)
    assert back.price_year == scenario.price_year
    a = sroi.run(scenario, draws=0).base[PROGRAMME]
    b = sroi.run(back, draws=0).base[PROGRAMME]
    for metric, values in a.items():
        assert np.allclose(b[metric], values, rtol=1e-12, atol=1e-9, equal_nan=True), metric


@given(a=YEARS, b=YEARS)
def test_price_factors_compose(a: int, b: int) -> None:
    """To b and back is 1, and via 2024-25 is the same as directly (rel 1e-15)."""
    assert abs(price_factor(a, b) * price_factor(b, a) - 1.0) < 1e-15
    assert abs(price_factor(a, 2024) * price_factor(2024, b) / price_factor(a, b) - 1.0) < 1e-15
