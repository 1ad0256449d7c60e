"""Sobol' indices: the estimator against known answers, then on scenarios."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from sroi.analysis.factors import factor_groups, factors
from sroi.analysis.sobol import (
    COLUMNS,
    correlate,
    generators,
    indices,
    saltelli,
    sobol,
    variance_check,
)
from sroi.analysis.subject import AnalysisError
from sroi.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
OXFORD = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"

# Ishigami function (a = 7, b = 0.1) on [-pi, pi]^3; analytic indices from
# Ishigami and Homma (1990), as tabulated with SALib's test functions.
A, B = 7.0, 0.1
_V1 = 0.5 * (1 + B * math.pi**4 / 5) ** 2
_V2 = A**2 / 8
_V13 = B**2 * math.pi**8 * (1 / 18 - 1 / 50)
_V = _V1 + _V2 + _V13 + 0.0
ISHIGAMI_S1 = np.array([_V1 / _V, _V2 / _V, 0.0])
ISHIGAMI_ST = np.array([(_V1 + _V13) / _V, _V2 / _V, _V13 / _V])


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def estimate(model, d: int, n: int, seed: int = 0, bootstrap: int = 0, low=0.0, high=1.0):
    """Run the estimator on a function of the unit cube mapped to [low, high]^d."""
    sequence_rng, boot_rng = generators(seed)
    qa, qb = saltelli(d, n, sequence_rng)
    xa, xb = low + (high - low) * qa, low + (high - low) * qb
    f_ab = []
    for i in range(d):
        xab = xa.copy()
        xab[:, i] = xb[:, i]
        f_ab.append(model(xab))
    return indices(model(xa), model(xb), np.array(f_ab), bootstrap, boot_rng)


def test_ishigami_matches_analytic_indices():
    found = estimate(ishigami, 3, 2**14, low=-math.pi, high=math.pi)
    assert np.max(np.abs(found["S1"] - ISHIGAMI_S1)) < 0.02
    assert np.max(np.abs(found["ST"] - ISHIGAMI_ST)) < 0.02


def test_additive_model_indices():
    """y = a x1 + b x2 with independent U(0, 1): S1 = ST = a^2 / (a^2 + b^2)."""
    a, b = 1.0, 2.0
    found = estimate(lambda x: a * x[:, 0] + b * x[:, 1], 2, 2**12, bootstrap=100)
    expected = np.array([a**2, b**2]) / (a**2 + b**2)
    assert np.allclose(found["S1"], expected, atol=0.01)
    assert np.allclose(found["ST"], expected, atol=0.01)
    assert np.all(found["S1_low"] <= found["S1"]) and np.all(found["S1"] <= found["S1_high"])
    assert np.all(found["ST_low"] <= expected) and np.all(expected <= found["ST_high"])


def test_first_order_estimator_is_centred():
    """A constant added to the model changes no index: without centring, the
    first-order estimate of 1e6 + y carries an error 1e6 times the design's."""
    shifted = estimate(lambda x: 1e6 + ishigami(x), 3, 2**10, low=-math.pi, high=math.pi)
    plain = estimate(ishigami, 3, 2**10, low=-math.pi, high=math.pi)
    np.testing.assert_allclose(shifted["S1"], plain["S1"], atol=1e-6)
    np.testing.assert_allclose(shifted["ST"], plain["ST"], atol=1e-6)


# Two perfectly correlated inputs (worked by hand)
# ------------------------------------------------
# x1, x2 ~ U(0, 1) with rank correlation 1, so x1 = x2 = u; w ~ U(1, 2) and
# v ~ U(0, 1) independent.  y = (x1 + x2) w + v = 2 u w + v.
#   E[u] = 1/2, Var u = 1/12, E[u^2] = 1/3; E[w] = 3/2, Var w = 1/12, E[w^2] = 7/3.
#   Var(2 u w) = 4 (E[u^2] E[w^2] - (E[u] E[w])^2) = 4 (7/9 - 9/16) = 31/36.
#   V_u = Var(E[y | u]) = Var(2 u 3/2) = 9/12 = 27/36;
#   V_w = Var(2 (1/2) w) = 1/12 = 3/36;  V_uw = 31/36 - 27/36 - 3/36 = 1/36;
#   V_v = 1/12 = 3/36;  V = 31/36 + 3/36 = 34/36.
# Group {x1, x2}: S1 = 27/34, ST = 28/34.  w: S1 = 3/34, ST = 4/34.
# v: S1 = ST = 3/34.
GROUP_S1 = np.array([27, 3, 3]) / 34
GROUP_ST = np.array([28, 4, 3]) / 34


def correlated_toy(x: np.ndarray) -> np.ndarray:
    return (x[:, 0] + x[:, 1]) * (1.0 + x[:, 2]) + x[:, 3]


def test_group_indices_of_perfectly_correlated_inputs():
    sequence_rng, _ = generators(0)
    qa, qb = saltelli(4, 2**14, sequence_rng)
    perfect = np.ones((2, 2))  # Pearson 2 sin(pi / 6) = 1 for rank 1
    qa[:, :2], qb[:, :2] = correlate(qa[:, :2], perfect), correlate(qb[:, :2], perfect)
    assert np.allclose(qa[:, 0], qa[:, 1], atol=1e-9)
    groups = [[0, 1], [2], [3]]
    f_ab = []
    for g in groups:
        xab = qa.copy()
        xab[:, g] = qb[:, g]
        f_ab.append(correlated_toy(xab))
    found = indices(correlated_toy(qa), correlated_toy(qb), np.array(f_ab), bootstrap=0)
    assert np.max(np.abs(found["S1"] - GROUP_S1)) < 0.02
    assert np.max(np.abs(found["ST"] - GROUP_ST)) < 0.02
    # Moved one at a time, as if independent, x1 would explain far less.
    xab = qa.copy()
    xab[:, 0] = qb[:, 0]
    alone = indices(correlated_toy(qa), correlated_toy(qb), correlated_toy(xab)[None, :], 0)
    assert alone["S1"][0] < GROUP_S1[0] - 0.3


def test_correlate_keeps_uniform_margins_and_the_rank_correlation():
    from scipy.stats import spearmanr

    rng = np.random.default_rng(4)
    u = rng.uniform(size=(20_000, 2))
    rank = 0.6
    pearson = 2 * math.sin(math.pi * rank / 6)
    v = correlate(u, np.array([[1.0, pearson], [pearson, 1.0]]))
    for column in v.T:  # each column stays uniform
        assert np.quantile(column, [0.25, 0.5, 0.75]) == pytest.approx([0.25, 0.5, 0.75], abs=0.01)
    assert spearmanr(v[:, 0], v[:, 1]).statistic == pytest.approx(rank, abs=0.02)


def test_variance_check_warns_outside_the_range():
    base = np.arange(10.0)
    assert variance_check(base, base) == (1.0, None)
    ratio, warning = variance_check(1.2 * base, base)
    assert ratio == pytest.approx(1.44) and warning is not None and "1.440" in warning
    ratio, warning = variance_check(0.9 * base, base)  # 0.81: below 0.9
    assert warning is not None
    assert variance_check(1.04 * base, base)[1] is None  # 1.0816: inside


def test_seed_fixes_everything():
    first = estimate(ishigami, 3, 256, seed=5, bootstrap=20)
    again = estimate(ishigami, 3, 256, seed=5, bootstrap=20)
    other = estimate(ishigami, 3, 256, seed=6, bootstrap=20)
    for key in first:
        assert np.array_equal(first[key], again[key])
    assert not np.array_equal(first["S1"], other["S1"])


def test_base_samples_must_be_a_power_of_two():
    with pytest.raises(AnalysisError, match="power of 2"):
        saltelli(2, 1000, np.random.default_rng(0))


TOY = """\
schema_version: 1
id: toy
name: Additive toy
currency: GBP
price_year: 2011
delivery: {years: 1, referrals_per_year: 10, uptake: 1}
volunteers:
  pool: 1
  turnover: 0
  hours_per_user: 0
  training_hours: 0
  supervision_hours_per_year: 0
  expenses_per_hour: 0
  value_per_hour: 0
costs:
  coordinator: {fte: 1, salary: 1000, on_costs: 0}
effect: {risk_without: 0.5, relative_risk: 0.5}
outcomes:
  first:
    {label: A, stakeholder: S, payer: nhs, value_type: fiscal, per: referral,
     proxy: {uniform: [0, 100]}, duration: 1}
  second:
    {label: B, stakeholder: S, payer: nhs, value_type: fiscal, per: referral,
     proxy: {uniform: [0, 200]}, duration: 1}
"""


def test_scenario_whose_npv_is_additive(tmp_path):
    """NPV = 10 proxy_1 + 10 proxy_2 - 1000: S1 = ST = width^2 share."""
    path = tmp_path / "toy.yaml"
    path.write_text(TOY, encoding="utf-8")
    frame = sobol(path, metrics=["npv"], base_samples=2**12, bootstrap=50)
    assert list(frame.columns) == list(COLUMNS)
    got = frame.set_index("path")
    expected = {"outcomes.first.proxy": 0.2, "outcomes.second.proxy": 0.8}
    for p, share in expected.items():
        assert got.loc[p, "S1"] == pytest.approx(share, abs=0.01)
        assert got.loc[p, "ST"] == pytest.approx(share, abs=0.01)
    assert frame.attrs["evaluations"] == 2**12 * (2 + 2)
    assert frame.attrs["warnings"] == [] and not frame["correlated"].any()
    assert frame.attrs["variance_ratio"]["npv"] == pytest.approx(1.0, abs=0.05)


# The additive toy with a third proxy, the first two tied by rank 1
# (worked by hand): proxy_1 = 100 u, proxy_2 = 200 u, proxy_3 = 100 v with u, v
# independent U(0, 1).  NPV = 10 (100 u + 200 u + 100 v) - 1000
# = 3000 u + 1000 v - 1000, so V = (3000^2 + 1000^2) / 12 and the group
# {proxy_1, proxy_2} has S1 = ST = 9 / 10; proxy_3 has 1 / 10.  Sampled
# independently (the old way) the pair would explain (1 + 4) / (1 + 4 + 1) = 5/6.
CORRELATED_TOY = (
    TOY
    + """\
  third:
    {label: C, stakeholder: S, payer: nhs, value_type: fiscal, per: referral,
     proxy: {uniform: [0, 100]}, duration: 1}
correlations:
  - {between: [outcomes.first.proxy, outcomes.second.proxy], rank: 1}
"""
)


def test_scenario_with_perfectly_correlated_values(tmp_path):
    path = tmp_path / "toy.yaml"
    path.write_text(CORRELATED_TOY, encoding="utf-8")
    frame = sobol(path, metrics=["npv"], base_samples=2**14, bootstrap=0)
    got = frame.set_index("path")
    pair = got.loc["outcomes.*.proxy"]
    assert pair["paths"] == "outcomes.first.proxy,outcomes.second.proxy" and pair["correlated"]
    assert pair["S1"] == pytest.approx(0.9, abs=0.02) and pair["ST"] == pytest.approx(0.9, abs=0.02)
    third = got.loc["outcomes.third.proxy"]
    assert third["S1"] == pytest.approx(0.1, abs=0.02) and third["ST"] == pytest.approx(
        0.1, abs=0.02
    )
    assert frame.attrs["groups"] == 2 and frame.attrs["values"] == 3
    assert frame.attrs["evaluations"] == 2**14 * (2 + 2)
    # The design keeps the correlation, so its variance is the run's.
    assert frame.attrs["variance_ratio"]["npv"] == pytest.approx(1.0, abs=0.05)
    assert frame.attrs["warnings"] == []


def test_a_metric_that_does_not_vary_has_no_indices(tmp_path):
    """The toy has nothing cashable, so its cashable return is 0 in every model
    run, and with a relative risk of 1 no case is averted, so its cost per
    case averted is undefined in every run. Once, each gave S1 = 0/0 (NaN),
    "sum of S1: nan" and numpy's warnings; now neither has indices, and NPV
    (which varies) is decomposed as before."""
    import warnings

    path = tmp_path / "toy.yaml"
    path.write_text(TOY.replace("relative_risk: 0.5", "relative_risk: 1"), encoding="utf-8")
    metrics = ["cashable_roi", "cost_per_case_averted", "npv"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = sobol(path, metrics=metrics, base_samples=2**8, bootstrap=20)
    a = frame.attrs
    assert set(a["constant"]) == {"cashable_roi", "cost_per_case_averted"}
    assert a["constant"]["cashable_roi"] == 0.0
    assert math.isnan(a["constant"]["cost_per_case_averted"])
    for metric in ("cashable_roi", "cost_per_case_averted"):
        rows = frame[frame["metric"] == metric]
        assert rows[list(COLUMNS[6:12])].isna().all().all()
        assert math.isnan(a["sum_s1"][metric]) and math.isnan(a["variance_ratio"][metric])
    npv = frame[frame["metric"] == "npv"].set_index("path")
    assert npv["ST"].between(0, 1).all() and a["warnings"] == []
    # A constant metric draws its bootstrap resamples all the same (one
    # undefined everywhere has none to draw): NPV's intervals are those of an
    # analysis in which the metric before it varies.
    again = sobol(path, metrics=["npv", "npv"], base_samples=2**8, bootstrap=20)
    second = again[len(npv) :].set_index("path")
    np.testing.assert_array_equal(npv["ST_low"].to_numpy(), second["ST_low"].to_numpy())


def test_bundled_site_groups_its_correlated_values():
    frame = sobol(OXFORD, metrics=["sroi_ratio"], base_samples=64, bootstrap=10, seed=3)
    tied = frame[frame["correlated"]]
    assert tied["path"].tolist() == ["outcomes.*.probability"]
    members = tied["paths"].iloc[0].split(",")
    assert len(members) == 10 and "outcomes.pd_quality_of_life_child.probability" in members
    assert "effect.relative_risk" in set(frame["path"])
    assert frame.attrs["groups"] == frame.attrs["values"] - 9
    assert np.all(np.diff(frame["ST"].to_numpy()) <= 0)
    again = sobol(OXFORD, metrics=["sroi_ratio"], base_samples=64, bootstrap=10, seed=3)
    assert frame.equals(again)


def test_a_shared_value_joins_the_groups_of_every_scenario(tmp_path):
    """Site a ties the shared proxy of ``first`` to its own ``second``; site b
    ties it to its own ``third``: one group of three values, moving in both
    sites; the rest stay inputs of their own."""
    shared = CORRELATED_TOY.replace(
        "proxy: {uniform: [0, 100]}, duration: 1}\n  second",
        "proxy: {uniform: [0, 100], shared: true}, duration: 1}\n  second",
    )
    a = shared.replace("id: toy", "id: a")
    b = a.replace("id: a", "id: b").replace("outcomes.second.proxy]", "outcomes.third.proxy]")
    scenarios = []
    for text in (a, b):
        path = tmp_path / f"{text.split('id: ')[1].split()[0]}.yaml"
        path.write_text(text, encoding="utf-8")
        scenarios.append(load_scenario(path))
    found = factors(scenarios)
    chosen = [i for i, f in enumerate(found) if f.uncertain]
    groups = factor_groups(scenarios, found, chosen)
    tied = [g for g in groups if g.correlated]
    assert len(tied) == 1
    members = {(found[i].path, found[i].scenario) for i in tied[0].members}
    assert members == {
        ("outcomes.first.proxy", "all"),
        ("outcomes.second.proxy", "a"),
        ("outcomes.third.proxy", "b"),
    }
    # second@a and third@b are tied only through the shared value, each
    # perfectly: so perfectly to each other (C_ab = 1 * 1^-1 * 1).
    np.testing.assert_allclose(tied[0].correlation, np.ones((3, 3)))
    assert len(groups) == len(chosen) - 2


def test_values_tied_through_a_shared_value_correlate_as_in_the_run(tmp_path):
    """With rank 0.5 to the shared value in each site, the two sites' own
    values have copula correlation p^2 (p = 2 sin(pi 0.5 / 6)), rank
    (6 / pi) asin(p^2 / 2) = 0.242: what the run's draws show."""
    from scipy.stats import spearmanr

    from sroi.analysis.collect import collect

    shared = CORRELATED_TOY.replace(
        "proxy: {uniform: [0, 100]}, duration: 1}\n  second",
        "proxy: {uniform: [0, 100], shared: true}, duration: 1}\n  second",
    ).replace("rank: 1}", "rank: 0.5}")
    a = shared.replace("id: toy", "id: a")
    b = a.replace("id: a", "id: b").replace("outcomes.second.proxy]", "outcomes.third.proxy]")
    for name, text in (("a", a), ("b", b)):
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    scenarios = [load_scenario(tmp_path / "a.yaml"), load_scenario(tmp_path / "b.yaml")]
    found = factors(scenarios)
    groups = factor_groups(scenarios, found, [i for i, f in enumerate(found) if f.uncertain])
    tied = next(g for g in groups if g.correlated)
    p = 2 * math.sin(math.pi * 0.5 / 6)
    assert tied.correlation[1, 2] == pytest.approx(p * p)
    draws = collect(scenarios, 50_000, 1, ["npv"], inputs=True)
    run_rank = spearmanr(
        draws.inputs[0]["outcomes.second.proxy"], draws.inputs[1]["outcomes.third.proxy"]
    ).statistic
    assert run_rank == pytest.approx(6 / math.pi * math.asin(p * p / 2), abs=0.02)


def test_bundled_programme_shares_its_lifetime_group():
    """The ten lifetime shares are shared across the four sites: one group."""
    scenarios = sorted(
        (load_scenario(p) for p in sorted(OXFORD.parent.glob("[!_]*.yaml"))), key=lambda s: s.id
    )
    found = factors(scenarios)
    chosen = [i for i, f in enumerate(found) if f.uncertain]
    groups = factor_groups(scenarios, found, chosen)
    assert sorted(i for g in groups for i in g.members) == chosen
    tied = [g for g in groups if g.correlated]
    assert len(tied) == 1 and len(tied[0].members) == 10
    assert all(found[i].scenario == "all" for i in tied[0].members)


def test_progress_counts_every_model_evaluation():
    seen: list[tuple[int, int]] = []
    site = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"
    t = sobol(site, ["npv"], base_samples=64, bootstrap=0, progress=lambda *a: seen.append(a))
    total = t.attrs["evaluations"] + t.attrs["mc_draws"]
    assert {s[1] for s in seen} == {total}
    done = [s[0] for s in seen]
    assert done == sorted(done) and done[0] == 64 and done[-1] == total
