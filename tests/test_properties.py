"""Invariants of the SROI model (docs/methodology.md §2 to §8) that hold for every valid scenario.

Scenarios come from the shared strategies in ``tests/strategies.py``.  Each
property runs the base case and a short Monte Carlo run (at most 32 draws) and
checks the base case and every draw.  Comparisons are exact where the
floating-point arithmetic makes them exact (a monotone change to one factor
of a sum of non-negative products, the same seed, fixed values); otherwise the
tolerance is stated beside the check with the reason.

Profiles: ``HYPOTHESIS_PROFILE=dev`` (default, fast) or ``ci`` (thorough,
derandomized); see ``tests/conftest.py``.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
import strategies as s
from hypothesis import example, given, settings
from hypothesis import strategies as st

import sroi
from sroi.engine.metrics import ADDITIVE, SPLIT_METRICS
from sroi.results.results import Results
from sroi.sampling.sampler import ScenarioSampler
from sroi.vocabulary import PROGRAMME

SEEDS = st.integers(0, 2**32 - 1)
DRAWS = st.integers(0, 32)
SOME_DRAWS = st.integers(1, 32)

#: Scenario knobs under which every outcome's value is >= 0 in every draw.
NON_NEGATIVE_VALUE: dict[str, Any] = {"proxies_kind": "non_negative", "effect": "beneficial"}

#: Shrunk from a failure: every value fixed, all zero.  The Monte Carlo draws
#: of a scenario with no uncertain value came back as uninitialised memory
#: (``runner.run_chunk`` kept the one computed draw but not the other n - 1).
ALL_FIXED_AT_ZERO: s.Data = {
    "schema_version": 1,
    "id": "alpha",
    "name": "Alpha",
    "currency": "GBP",
    "price_year": 2011,
    "delivery": {"years": 1, "referrals_per_year": 0.1, "uptake": 0.0},
    "volunteers": {
        "pool": 0.0,
        "turnover": 0.0,
        "hours_per_user": 0.0,
        "training_hours": 0.0,
        "supervision_hours_per_year": 0.0,
        "expenses_per_hour": 0.0,
        "value_per_hour": 0.0,
    },
    "costs": {"coordinator": {"fte": 0.0, "salary": 0.0, "on_costs": 0.0}, "lines": {}},
    "effect": {"risk_without": 0.0, "risk_with": 0.0},
    "outcomes": {
        "fewer_gp_visits": {
            "label": "fewer gp visits",
            "stakeholder": "mothers",
            "payer": "nhs",
            "value_type": "fiscal",
            "per": "case_averted",
            "proxy": 0.0,
            "duration": 0.0,
        }
    },
}

#: Split metrics flattened as the engine keys them, e.g. "value_pv_by_payer.nhs".
SPLIT_KEYS = tuple(f"{split}.{key}" for split, keys in SPLIT_METRICS.items() for key in keys)


# --------------------------------------------------------------------------- helpers


def fewer_examples(divisor: int) -> settings:
    """The loaded profile's settings with ``1 / divisor`` of its examples (for
    a property whose every example is slow)."""
    return settings(max_examples=max(10, settings.default.max_examples // divisor))


def run(data: s.Data | list[s.Data], draws: int = 0, seed: int = 0, **options: Any) -> Results:
    """Run the scenarios built from ``data``."""
    items = data if isinstance(data, list) else [data]
    return sroi.run([s.build(d) for d in items], draws=draws, seed=seed, **options)


def series(results: Results, metric: str, scenario: str = PROGRAMME) -> np.ndarray:
    """The base case followed by every draw of one metric."""
    base = np.asarray(results.base[scenario][metric], dtype=np.float64)
    if results.draws == 0:
        return base.copy()
    return np.concatenate([base, results.metric(metric, scenario)])


def metric_names(results: Results) -> list[str]:
    """Every per-draw metric (scalar and flattened split metrics)."""
    return list(results.base[PROGRAMME])


def assert_same(a: np.ndarray, b: np.ndarray, what: str) -> None:
    """Bit-identical arrays (NaN where the metric is undefined counts as equal)."""
    assert a.shape == b.shape, what
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    assert same.all(), f"{what}: {a[~same]} != {b[~same]}"


def assert_not_above(high: np.ndarray, low: np.ndarray, what: str, rtol: float = 0.0) -> None:
    """``high <= low`` elementwise, up to ``rtol`` of the larger magnitude."""
    slack = rtol * np.maximum(np.abs(high), np.abs(low))
    bad = high > low + slack
    assert not bad.any(), f"{what}: {high[bad]} > {low[bad]}"


def pair(
    data: s.Data, path: s.Path, a: Any, b: Any, draws: int, seed: int
) -> tuple[Results, Results]:
    """Runs of ``data`` with ``path`` set to ``a`` and to ``b``, same seed."""
    return run(s.set_in(data, path, a), draws, seed), run(s.set_in(data, path, b), draws, seed)


def ordered_pair(
    low: float, high: float, places: int = 2
) -> st.SearchStrategy[tuple[float, float]]:
    """Two numbers ``a <= b`` in [low, high]."""
    x = s.numbers(low, high, places)
    return st.tuples(x, x).map(lambda t: (min(t), max(t)))


@st.composite
def outcome_cases(
    draw: st.DrawFn, low: float, high: float, places: int = 2, **knobs: Any
) -> tuple[s.Data, str, float, float]:
    """A scenario, one of its outcome ids, and two numbers ``a <= b``."""
    data = draw(s.scenario_data(**knobs))
    oid = draw(st.sampled_from(sorted(data["outcomes"])))
    a, b = draw(ordered_pair(low, high, places))
    return data, oid, a, b


# --------------------------------------------------------------------------- scaling


@given(data=s.scenario_data(**NON_NEGATIVE_VALUE), k=s.scale_factors(), draws=DRAWS, seed=SEEDS)
def test_scaling_every_money_value_leaves_sroi_ratio_unchanged(
    data: s.Data, k: float, draws: int, seed: int
) -> None:
    # Every money value (salary, cost lines, expenses, volunteer time, proxies)
    # enters cost or value linearly, so k cancels in the ratio.  Every term is
    # >= 0 here, so no cancellation magnifies rounding: rel 1e-9.
    before = run(data, draws, seed)
    after = run(s.scaled(data, k), draws, seed)
    a, b = series(before, "sroi_ratio"), series(after, "sroi_ratio")
    np.testing.assert_allclose(b, a, rtol=1e-9, atol=0, equal_nan=True)


@given(
    data=s.scenario_data(**NON_NEGATIVE_VALUE),
    side=st.sampled_from(["cost", "value"]),
    k=s.scale_factors(),
    draws=DRAWS,
    seed=SEEDS,
)
def test_scaling_one_side_scales_that_side_only(
    data: s.Data, side: str, k: float, draws: int, seed: int
) -> None:
    before = run(data, draws, seed)
    after = run(s.scaled(data, k, s.money_paths(data, side)), draws, seed)  # type: ignore[arg-type]
    scaled = ["cost_total", "cost_pv"] if side == "cost" else ["value_pv", *SPLIT_KEYS]
    other = ["value_pv", *SPLIT_KEYS] if side == "cost" else ["cost_total", "cost_pv"]
    for name in scaled:
        a, b = series(before, name), series(after, name)
        np.testing.assert_allclose(b, k * a, rtol=1e-9, atol=0, err_msg=name)
    for name in other:
        assert_same(series(after, name), series(before, name), name)


# --------------------------------------------------------------------------- monotone in one input


@pytest.mark.parametrize("name", s.ADJUSTMENTS)
@given(
    case=outcome_cases(0.0, 1.0, **NON_NEGATIVE_VALUE),
    scenario_wide=st.booleans(),
    draws=DRAWS,
    seed=SEEDS,
)
@example(
    case=(ALL_FIXED_AT_ZERO, "fewer_gp_visits", 0.0, 0.0), scenario_wide=False, draws=8, seed=1
)
def test_value_does_not_increase_with_an_adjustment(
    name: str, case: tuple[s.Data, str, float, float], scenario_wide: bool, draws: int, seed: int
) -> None:
    # deadweight, attribution, displacement and drop-off only ever shrink a
    # non-negative value, whether set scenario-wide or for one outcome.
    data, oid, a, b = case
    path = ("adjustments", name) if scenario_wide else ("outcomes", oid, name)
    low, high = pair(data, path, a, b, draws, seed)
    assert_not_above(series(high, "value_pv"), series(low, "value_pv"), f"{name} {a} -> {b}")


@given(
    data=s.scenario_data(proxies_kind="non_negative", effect_form="risk_with"),
    risks=ordered_pair(0.0, 1.0),
    draws=DRAWS,
    seed=SEEDS,
)
def test_value_does_not_increase_with_risk_with(
    data: s.Data, risks: tuple[float, float], draws: int, seed: int
) -> None:
    # Fewer cases averted (possibly negative ones) at a higher risk with the
    # service; with proxies >= 0 that can only lower value.
    low, high = pair(data, ("effect", "risk_with"), *risks, draws, seed)
    assert_not_above(series(high, "value_pv"), series(low, "value_pv"), f"risk_with {risks}")


@given(case=outcome_cases(0.0, s.PROXY_TOP, **NON_NEGATIVE_VALUE), draws=DRAWS, seed=SEEDS)
def test_value_does_not_decrease_with_a_positive_proxy(
    case: tuple[s.Data, str, float, float], draws: int, seed: int
) -> None:
    data, oid, a, b = case
    low, high = pair(data, ("outcomes", oid, "proxy"), a, b, draws, seed)
    assert_not_above(series(low, "value_pv"), series(high, "value_pv"), f"proxy {a} -> {b}")


@given(case=outcome_cases(0.0, s.DURATION_TOP, **NON_NEGATIVE_VALUE), draws=DRAWS, seed=SEEDS)
def test_value_does_not_decrease_with_duration(
    case: tuple[s.Data, str, float, float], draws: int, seed: int
) -> None:
    # A longer duration can lengthen the analysis horizon, and numpy sums a
    # longer row in a different order; the sums then agree to rounding only.
    data, oid, a, b = case
    short, long = pair(data, ("outcomes", oid, "duration"), a, b, draws, seed)
    assert_not_above(
        series(short, "value_pv"), series(long, "value_pv"), f"duration {a} -> {b}", rtol=1e-12
    )


@given(case=outcome_cases(0, 3, places=0, **NON_NEGATIVE_VALUE), draws=DRAWS, seed=SEEDS)
def test_value_does_not_increase_with_lag(
    case: tuple[s.Data, str, float, float], draws: int, seed: int
) -> None:
    # Discount factors never rise with the year (rates >= 0), so a later
    # start never adds present value.  Equal to rounding when the rate is 0
    # (the same terms are summed in another order).
    data, oid, a, b = case
    early, late = pair(data, ("outcomes", oid, "lag"), int(a), int(b), draws, seed)
    assert_not_above(
        series(late, "value_pv"), series(early, "value_pv"), f"lag {a} -> {b}", rtol=1e-12
    )


# --------------------------------------------------------------------------- identities


@given(datas=s.scenario_data_lists(min_size=1), draws=DRAWS, seed=SEEDS)
def test_npv_is_value_minus_cost_exactly(datas: list[s.Data], draws: int, seed: int) -> None:
    results = run(datas, draws, seed)
    names = [d["id"] for d in datas] + ([PROGRAMME] if len(datas) == 1 else [])
    for name in names:
        npv = series(results, "npv", name)
        assert_same(npv, series(results, "value_pv", name) - series(results, "cost_pv", name), name)


@given(data=s.scenario_data(), draws=DRAWS, seed=SEEDS)
def test_cost_pv_does_not_exceed_cost_total(data: s.Data, draws: int, seed: int) -> None:
    # Every discount rate the language allows is >= 0, so every factor <= 1.
    results = run(data, draws, seed)
    cost_pv, cost_total = series(results, "cost_pv"), series(results, "cost_total")
    assert_not_above(cost_pv, cost_total, "cost_pv")
    if not s.build(data).discounting.discount_costs:
        assert_same(cost_pv, cost_total, "cost_pv without discounting costs")


@given(data=s.scenario_data(), draws=DRAWS, seed=SEEDS)
def test_value_splits_add_up_to_value_pv(data: s.Data, draws: int, seed: int) -> None:
    # Sums in another order: equal to rel 1e-12 of the sum of magnitudes.
    results = run(data, draws, seed)
    value = series(results, "value_pv")
    for split, keys in SPLIT_METRICS.items():
        parts = np.array([series(results, f"{split}.{key}") for key in keys])
        slack = 1e-12 * np.abs(parts).sum(axis=0)
        assert (np.abs(parts.sum(axis=0) - value) <= slack).all(), split


@given(data=s.scenario_data(**NON_NEGATIVE_VALUE), draws=DRAWS, seed=SEEDS)
def test_cashable_value_is_part_of_value(data: s.Data, draws: int, seed: int) -> None:
    # Only when every outcome's value is >= 0: a cashable saving can exceed
    # the total when a non-cashable disbenefit offsets it.
    results = run(data, draws, seed)
    cashable = series(results, "value_pv_cashable")
    assert (cashable >= 0).all()
    assert_not_above(cashable, series(results, "value_pv"), "cashable", rtol=1e-12)


@given(datas=s.scenario_data_lists(), draws=DRAWS, seed=SEEDS)
def test_programme_adds_up_scenarios_and_recomputes_ratios(
    datas: list[s.Data], draws: int, seed: int
) -> None:
    results = run(datas, draws, seed)
    ids = [d["id"] for d in datas]
    for key in (*ADDITIVE, *SPLIT_KEYS):
        parts = np.array([series(results, key, i) for i in ids])
        total = np.array([math.fsum(column) for column in parts.T])
        slack = 1e-9 * np.abs(parts).sum(axis=0)
        programme = series(results, key)
        assert (np.abs(programme - total) <= slack).all(), f"{key}: {programme} vs {total}"
    m = {key: series(results, key) for key in metric_names(results)}
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = {
            "sroi_ratio": np.where(m["cost_pv"] > 0, m["value_pv"] / m["cost_pv"], np.nan),
            "net_sroi_ratio": np.where(m["cost_pv"] > 0, m["npv"] / m["cost_pv"], np.nan),
            "unit_cost": np.where(m["users"] > 0, m["cost_total"] / m["users"], np.nan),
            "cost_per_case_averted": np.where(
                m["cases_averted"] > 0, m["cost_total"] / m["cases_averted"], np.nan
            ),
        }
    for key, want in expected.items():
        assert_same(m[key], want, key)


@given(data=s.scenario_data(), draws=DRAWS, seed=SEEDS)
def test_programme_of_one_scenario_is_that_scenario(data: s.Data, draws: int, seed: int) -> None:
    results = run(data, draws, seed)
    for name in metric_names(results):
        assert_same(series(results, name), series(results, name, data["id"]), name)


# --------------------------------------------------------------------------- randomness


@given(datas=s.scenario_data_lists(), order=st.randoms(use_true_random=False), seed=SEEDS)
def test_results_do_not_depend_on_scenario_order(
    datas: list[s.Data], order: Any, seed: int
) -> None:
    shuffled = list(datas)
    order.shuffle(shuffled)
    assert run(shuffled, 8, seed).to_json(indent=None) == run(datas, 8, seed).to_json(indent=None)


#: Values every scenario has, each with an uncertain value its field accepts.
SHAREABLE = {
    ("effect", "risk_without"): s.value_specs(0.0, 1.0, uncertain=True, beta=True),
    ("delivery", "uptake"): s.value_specs(0.0, 1.0, uncertain=True, beta=True),
    ("costs", "coordinator", "salary"): s.value_specs(
        0.0, s.MONEY_TOP, places=0, uncertain=True, open_above=True
    ),
    ("volunteers", "hours_per_user"): s.value_specs(0.0, 60.0, uncertain=True, open_above=True),
}


@st.composite
def shared_cases(draw: st.DrawFn) -> tuple[list[s.Data], s.Path]:
    """Scenarios that all give one path the same uncertain, shared value."""
    datas = draw(s.scenario_data_lists())
    path = draw(st.sampled_from(sorted(SHAREABLE)))
    spec = draw(SHAREABLE[path])
    assert isinstance(spec, dict)
    return [s.set_in(d, path, {**spec, "shared": True}) for d in datas], path


@given(case=shared_cases(), draws=SOME_DRAWS, seed=SEEDS)
def test_a_shared_value_draws_the_same_in_every_scenario(
    case: tuple[list[s.Data], s.Path], draws: int, seed: int
) -> None:
    datas, path = case
    drawn = [ScenarioSampler.build(s.build(d), seed).draws(0, draws)[s.dotted(path)] for d in datas]
    for other in drawn[1:]:
        assert_same(np.asarray(other), np.asarray(drawn[0]), s.dotted(path))


@fewer_examples(4)
@given(data=s.scenario_data(), seed=SEEDS)
def test_copies_sharing_every_value_have_identical_results(data: s.Data, seed: int) -> None:
    # Two copies of one scenario whose uncertain values are all shared draw
    # the same numbers, so every metric of every draw agrees.  Slow: each
    # shared value draws and reorders a whole stream block (16,384 draws).
    shared = s.share_all(data)
    results = run([{**shared, "id": "a"}, {**shared, "id": "b"}], 16, seed)
    for name in metric_names(results):
        assert_same(series(results, name, "a"), series(results, name, "b"), name)


@given(datas=s.scenario_data_lists(min_size=1), draws=SOME_DRAWS, seed=SEEDS)
def test_same_seed_gives_the_same_arrays(datas: list[s.Data], draws: int, seed: int) -> None:
    first, second = run(datas, draws, seed), run(datas, draws, seed)
    for name in [d["id"] for d in datas] + [PROGRAMME]:
        for metric in metric_names(first):
            assert_same(series(second, metric, name), series(first, metric, name), metric)
    assert second.to_json() == first.to_json()


@given(data=s.scenario_data(), draws=SOME_DRAWS, chunk=st.integers(1, 32), seed=SEEDS)
def test_chunk_size_does_not_change_draws(data: s.Data, draws: int, chunk: int, seed: int) -> None:
    whole, chunked = run(data, draws, seed), run(data, draws, seed, chunk_size=chunk)
    for metric in metric_names(whole):
        assert_same(series(chunked, metric), series(whole, metric), metric)


@given(data=s.scenario_data(), sizes=ordered_pair(1, 32, places=0), seed=SEEDS)
def test_more_draws_keep_the_first_ones(
    data: s.Data, sizes: tuple[float, float], seed: int
) -> None:
    few, many = int(sizes[0]), int(sizes[1])
    short, long = run(data, few, seed), run(data, many, seed)
    for metric in metric_names(short):
        assert_same(short.metric(metric), long.metric(metric)[:few], metric)


@given(datas=s.scenario_data_lists(min_size=1, fixed=True), draws=SOME_DRAWS, seed=SEEDS)
@example(datas=[ALL_FIXED_AT_ZERO], draws=8, seed=1)
def test_monte_carlo_with_fixed_values_equals_the_base_case(
    datas: list[s.Data], draws: int, seed: int
) -> None:
    results = run(datas, draws, seed)
    for name in [d["id"] for d in datas] + [PROGRAMME]:
        for metric in metric_names(results):
            values = series(results, metric, name)
            assert_same(values[1:], np.repeat(values[:1], draws), f"{name} {metric}")
        base = {k: v[0] for k, v in results.base[name].items()}
        probabilities = results.probabilities(name)
        assert probabilities["prob_sroi_above_1"] == float(base["sroi_ratio"] > 1)
        assert probabilities["prob_npv_positive"] == float(base["npv"] > 0)
        assert probabilities["prob_payback"] == float(not np.isnan(base["payback_year"]))
        # The mean of n equal numbers is that number, to rounding.
        for metric, stats in results.summaries(name).items():
            assert stats["mean"] == pytest.approx(base[metric], rel=1e-12, nan_ok=True), metric


# --------------------------------------------------------------------------- unit cost, degenerate


@given(
    data=s.scenario_data(fixed_costs_only=True),
    referrals=ordered_pair(0.0, s.REFERRALS_TOP, places=1),
    draws=DRAWS,
    seed=SEEDS,
)
def test_unit_cost_falls_as_referrals_rise_when_costs_are_fixed(
    data: s.Data, referrals: tuple[float, float], draws: int, seed: int
) -> None:
    few, many = pair(data, ("delivery", "referrals_per_year"), *referrals, draws, seed)
    # No cost grows with referrals or users, so the cost is the same number.
    assert_same(series(many, "cost_total"), series(few, "cost_total"), "cost_total")
    users_few, users_many = series(few, "users"), series(many, "users")
    assert_not_above(users_few, users_many, "users")
    unit_few, unit_many = series(few, "unit_cost"), series(many, "unit_cost")
    defined = users_few > 0
    assert_not_above(unit_many[defined], unit_few[defined], "unit cost")
    strictly = defined & (users_many > users_few * (1 + 1e-12)) & (series(few, "cost_total") > 0)
    assert (unit_many[strictly] < unit_few[strictly]).all(), "unit cost not strictly lower"


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} in the JSON document")


@given(
    datas=st.lists(
        st.one_of(s.degenerate_data(), s.scenario_data()),
        min_size=1,
        max_size=2,
    ),
    draws=st.integers(0, 16),
    seed=SEEDS,
)
def test_json_never_contains_nan_or_infinity(datas: list[s.Data], draws: int, seed: int) -> None:
    datas = [{**d, "id": i} for d, i in zip(datas, s.SCENARIO_IDS, strict=False)]
    document = json.loads(run(datas, draws, seed).to_json(), parse_constant=_no_constant)
    assert document["draws"] == draws
    assert len(document["scenarios"]) == len(datas)
