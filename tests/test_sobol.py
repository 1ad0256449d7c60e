"""Sobol' indices: the estimator against known answers, then on scenarios."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from sroi.analysis.sobol import COLUMNS, generators, indices, saltelli, sobol
from sroi.analysis.subject import AnalysisError

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
    assert frame.attrs["warnings"] == [] and not frame.attrs["correlations_ignored"]
    assert not frame["correlated"].any()


def test_bundled_site_flags_its_correlations():
    frame = sobol(OXFORD, metrics=["sroi_ratio"], base_samples=64, bootstrap=10, seed=3)
    assert frame.attrs["correlations_ignored"] and frame.attrs["warnings"]
    flagged = set(frame.loc[frame["correlated"], "path"])
    assert "outcomes.pd_quality_of_life_child.probability" in flagged
    assert "effect.relative_risk" not in flagged
    assert np.all(np.diff(frame["ST"].to_numpy()) <= 0)
    again = sobol(OXFORD, metrics=["sroi_ratio"], base_samples=64, bootstrap=10, seed=3)
    assert frame.equals(again)


def test_bad_arguments(tmp_path):
    with pytest.raises(AnalysisError, match="payback_year"):
        sobol(OXFORD, metrics=["payback_year"], base_samples=64)
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(TOY.replace("{uniform: [0, 100]}", "50").replace("{uniform: [0, 200]}", "9"))
    with pytest.raises(AnalysisError, match="no uncertain values"):
        sobol(fixed, base_samples=64)
