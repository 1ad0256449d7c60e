"""Break-even analysis: every reported value reproduces the target when
substituted back, and values that cannot reach it say so."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import strategies
from hypothesis import given, settings

from sroi.analysis.breakeven import (
    COLUMNS,
    MAX_STEPS,
    STATUSES,
    breakeven,
    refine,
    search_domain,
)
from sroi.analysis.subject import AnalysisError, Subject
from sroi.engine.runner import RunPlan, evaluate
from sroi.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "scenarios" / "family_action_pss" / "west_mansfield.yaml"


@pytest.fixture(scope="module")
def subject():
    return Subject.build(SITE)


@pytest.fixture(scope="module")
def by_ratio():
    return breakeven(SITE)


def substituted(subject: Subject, frame, metric: str) -> np.ndarray:
    """The metric with each row's value set to its break-even value, others
    central: straight through the engine, one row at a time (an outcome
    duration beyond its declared support goes through the analysis, which
    widens the support)."""
    plan = RunPlan.build([load_scenario(SITE)], 0)
    index = {(f.path, f.scenario): i for i, f in enumerate(subject.factors)}
    out = []
    for r in frame[frame["status"] != "none"].itertuples():
        if r.path.endswith(".duration"):
            i = index[(r.path, r.scenario)]
            out.append(subject.run_blocks([(i, np.array([r.breakeven]))])[metric][0])
            continue
        inputs = plan.samplers[0].central()
        inputs[r.path] = r.breakeven
        out.append(evaluate(plan, [inputs])[1]["west_mansfield"][metric][0])
    return np.array(out)


def test_table_shape(by_ratio):
    assert list(by_ratio.columns) == list(COLUMNS)
    assert set(by_ratio["status"]) <= set(STATUSES)
    ranks = by_ratio["status"].map(STATUSES.index).to_numpy()
    assert np.all(np.diff(ranks) >= 0)
    assert by_ratio.attrs["target"] == "sroi_ratio" and by_ratio.attrs["value"] == 1.0
    found = by_ratio[by_ratio["status"] != "none"]
    assert len(found) > 20
    assert found["breakeven"].between(found["search_low"], found["search_high"]).all()


def test_sroi_ratio_breakevens_reproduce_one(subject, by_ratio):
    values = substituted(subject, by_ratio, "sroi_ratio")
    assert np.max(np.abs(values - 1.0)) <= 1e-6


def test_npv_breakevens_reproduce_zero(subject):
    frame = breakeven(SITE, "npv")
    values = substituted(subject, frame, "npv")
    cost = subject.base()["cost_pv"]
    assert np.max(np.abs(values)) <= 1e-6 * cost


def test_unit_cost_breakevens_and_plausible_ones(subject):
    base = subject.base()["unit_cost"]
    frame = breakeven(SITE, "unit_cost", value=1.1 * base)
    values = substituted(subject, frame, "unit_cost")
    assert np.max(np.abs(values / (1.1 * base) - 1.0)) <= 1e-6
    # a 10% rise in unit cost is within reach of plausible inputs
    inside = frame[frame["status"] == "inside"]
    assert len(inside) > 0
    assert inside["breakeven"].between(inside["plausible_low"], inside["plausible_high"]).all()


def test_no_breakeven_when_the_domain_never_reaches_the_target(subject, by_ratio):
    path = "outcomes.gp_consultations.probability"
    r = by_ratio[by_ratio["path"] == path].iloc[0]
    assert r["status"] == "none" and np.isnan(r["breakeven"])
    assert (r["search_low"], r["search_high"]) == (0.0, 1.0)
    i = next(k for k, f in enumerate(subject.factors) if f.path == path)
    ends = subject.run_blocks([(i, np.linspace(0.0, 1.0, 11))])["sroi_ratio"]
    assert np.all(ends > 1.0)


def test_unreachable_target_gives_no_breakeven_anywhere():
    frame = breakeven(SITE, "sroi_ratio", value=1e6)
    assert (frame["status"] == "none").all()


def test_relative_change_and_domains(subject, by_ratio):
    r = by_ratio[by_ratio["path"] == "effect.relative_risk"].iloc[0]
    assert r["change"] == pytest.approx((r["breakeven"] - r["central"]) / r["central"])
    domains = {f.path: search_domain(f) for f in subject.factors}
    assert domains["delivery.uptake"] == (0.0, 1.0)
    assert domains["costs.optimism_bias"] == (0.0, 2.0)
    low, high = domains["outcomes.pd_quality_of_life_child.proxy"]
    assert low == -high and high > 1e6
    assert domains["costs.coordinator.salary"][0] == 0.0


def test_bad_arguments():
    with pytest.raises(AnalysisError, match="give the unit_cost"):
        breakeven(SITE, "unit_cost")
    with pytest.raises(AnalysisError, match="payback_year"):
        breakeven(SITE, "payback_year", value=2)
    with pytest.raises(AnalysisError, match="finite"):
        breakeven(SITE, "npv", value=float("nan"))


def test_refine_searches_every_bracket_in_step():
    # 50 brackets of x^3 = k: each step evaluates every bracket still open in
    # one call, so the calls number the steps (about 10), not 50 times that.
    calls = []

    def gap(keys: np.ndarray, x: np.ndarray) -> np.ndarray:
        calls.append(x.size)
        return x**3 - keys

    spans = {k: (0.0, 10.0) for k in range(1, 51)}
    roots = refine(gap, spans)
    assert sorted(roots) == list(spans)
    for k, r in roots.items():
        assert abs(r - k ** (1 / 3)) <= 8 * np.finfo(float).eps * r, k
    assert len(calls) <= 60
    assert calls[0] == 50


def test_refine_stops_chasing_a_root_at_zero_where_the_gap_is_flat():
    # x^3 has its root at 0 and relative tolerance never ends the search
    # there: without a limit it takes 340 steps, each an engine call.
    calls = []

    def gap(keys: np.ndarray, x: np.ndarray) -> np.ndarray:
        calls.append(x.size)
        return x**3

    root = refine(gap, {0: (-1.0, 0.5)})[0]
    assert len(calls) <= MAX_STEPS + 2  # the two ends, then the steps
    assert abs(root) < 1e-30


def test_refine_keeps_the_nearer_end_of_a_bracket_without_a_sign_change():
    # The grid saw a sign change the refinement does not (rounding noise):
    # the end with the smaller gap is the answer.
    roots = refine(lambda keys, x: 1.0 + (x - 3.0) ** 2, {0: (1.0, 2.5), 1: (3.5, 6.0)})
    assert roots == {0: 2.5, 1: 3.5}
    assert refine(lambda keys, x: x, {}) == {}


@settings(max_examples=max(10, settings.default.max_examples // 4))
@given(data=strategies.scenario_data())
def test_every_breakeven_of_a_generated_scenario_reproduces_the_target(
    data: strategies.Data,
) -> None:
    # Each example searches every value of one scenario (about 0.2 s), hence
    # a quarter of the profile's examples.
    scenario = strategies.build(data)
    frame = breakeven(scenario, "npv")
    subject = Subject.build(scenario)
    base = subject.base()
    scale = max(abs(base["cost_pv"]), abs(base["value_pv"]), 1.0)
    index = {(f.path, f.scenario): i for i, f in enumerate(subject.factors)}
    for r in frame[frame["status"] != "none"].itertuples():
        assert r.search_low <= r.breakeven <= r.search_high, r.path
        i = index[(r.path, r.scenario)]
        npv = subject.run_blocks([(i, np.array([r.breakeven]))])["npv"][0]
        # The root is found to 4 machine epsilons of the value; the NPV
        # there is 0 up to rounding of sums of the scenario's size.
        assert abs(npv) <= 1e-9 * scale, (r.path, r.breakeven, npv)
