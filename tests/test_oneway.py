"""One-way sensitivity (tornado data): settings, vectorised results, programme."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sroi
from sroi.analysis.oneway import COLUMNS, oneway
from sroi.analysis.subject import AnalysisError
from sroi.engine.runner import RunPlan, evaluate
from sroi.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
FAMILY = ROOT / "scenarios" / "family_action_pss"
OXFORD = FAMILY / "oxford.yaml"
HACKNEY = FAMILY / "hackney.yaml"


@pytest.fixture(scope="module")
def table():
    return oneway(OXFORD)


def row(frame, path, scenario=None):
    hit = frame[frame["path"] == path]
    if scenario is not None:
        hit = hit[hit["scenario"] == scenario]
    assert len(hit) == 1, f"expected one row for {path} [{scenario}]; found {len(hit)}"
    return hit.iloc[0]


def direct(path: str, value: float, metric: str = "sroi_ratio") -> float:
    """The metric with one value changed, straight through the engine."""
    plan = RunPlan.build([load_scenario(OXFORD)], 0)
    inputs = plan.samplers[0].central()
    inputs[path] = value
    _, metrics = evaluate(plan, [inputs])
    return float(metrics["oxford"][metric][0])


def test_columns_ranking_and_base(table):
    assert list(table.columns) == list(COLUMNS)
    swings = table["swing"].to_numpy()
    assert np.all(np.diff(swings) <= 0)
    base = sroi.run(OXFORD, draws=0).base_value("sroi_ratio", "oxford")
    assert table["base"].eq(base).all()
    assert table.attrs["base"] == base
    assert np.allclose(table["swing"], (table["metric_high"] - table["metric_low"]).abs())


def test_uncertain_values_span_5th_to_95th_percentile(table):
    dist = load_scenario(OXFORD).effect.relative_risk.distribution()
    r = row(table, "effect.relative_risk")
    assert r["kind"] == "uncertain"
    assert r["input_low"] == pytest.approx(float(dist.ppf(0.05)))
    assert r["input_high"] == pytest.approx(float(dist.ppf(0.95)))
    assert r["input_central"] == 0.5
    # the largest driver of the bundled sites: a weaker effect lowers the ratio
    assert table.iloc[0]["path"] == "effect.relative_risk"
    assert r["metric_high"] < r["base"] < r["metric_low"]


@pytest.mark.parametrize("path", ["costs.coordinator.salary", "delivery.uptake"])
def test_vectorised_rows_equal_one_at_a_time(table, path):
    r = row(table, path)
    assert r["metric_low"] == pytest.approx(direct(path, r["input_low"]), rel=1e-12)
    assert r["metric_high"] == pytest.approx(direct(path, r["input_high"]), rel=1e-12)


def test_fixed_values_move_by_band_clipped_to_support(table):
    r = row(table, "outcomes.gp_consultations.duration")
    assert (r["kind"], r["input_low"], r["input_central"], r["input_high"]) == (
        "fixed",
        0.8,
        1.0,
        1.2,
    )
    # a probability of 1 cannot move up
    r = row(table, "outcomes.volunteer_wellbeing.probability")
    assert (r["input_low"], r["input_high"]) == (0.8, 1.0)
    wider = oneway(OXFORD, band=0.5)
    assert row(wider, "outcomes.gp_consultations.duration")["input_high"] == 1.5
    # a spread carries its outcome's timing: its duration is not a factor
    assert not any(p.startswith("outcomes.pd_") and p.endswith(".duration") for p in table.path)


def test_duration_beyond_its_support_matches_a_rewritten_scenario(table, tmp_path):
    """Moving a fixed duration of 1 to 1.2 years counts the extra part-year,
    exactly as a scenario file that says 1.2 does."""
    child = tmp_path / "longer.yaml"
    child.write_text(
        f"extends: {OXFORD}\noutcomes:\n  gp_consultations:\n    duration: 1.2\n",
        encoding="utf-8",
    )
    expected = sroi.run(child, draws=0).base_value("sroi_ratio", "oxford")
    r = row(table, "outcomes.gp_consultations.duration")
    assert r["metric_high"] == pytest.approx(expected, rel=1e-12)


def test_structural_and_zero_values_are_not_moved(table):
    paths = set(table["path"])
    assert "delivery.years" not in paths
    assert not any(p.endswith(".lag") or p.startswith("delivery.ramp") for p in paths)
    skipped = {s["path"] for s in table.attrs["skipped"]}
    assert "adjustments.deadweight" in skipped
    assert not skipped & paths


def test_other_metrics(table):
    npv = oneway(OXFORD, metric="npv")
    assert npv.attrs["metric"] == "npv"
    salary = row(npv, "costs.coordinator.salary")
    assert salary["metric_high"] < salary["base"] < salary["metric_low"]
    unit = oneway(OXFORD, metric="unit_cost")
    # the effect size changes value, not cost per woman supported
    assert row(unit, "effect.relative_risk")["swing"] == 0.0


def test_programme_moves_shared_values_everywhere():
    both = oneway([OXFORD, HACKNEY])
    assert both.attrs["scenario"] == "programme"
    assert row(both, "effect.relative_risk")["scenario"] == "all"
    assert {"oxford", "hackney"} <= set(both[both["path"] == "delivery.uptake"]["scenario"])
    base = sroi.run([OXFORD, HACKNEY], draws=0).base_value("sroi_ratio")
    assert both.attrs["base"] == pytest.approx(base, rel=1e-12)
    only = oneway([OXFORD, HACKNEY], scenario_id="oxford")
    alone = oneway(OXFORD)
    assert list(only["path"]) == list(alone["path"])
    assert np.allclose(only["metric_low"], alone["metric_low"], rtol=1e-12)


def test_bad_arguments():
    with pytest.raises(AnalysisError, match="unknown metric"):
        oneway(OXFORD, metric="roi")
    with pytest.raises(AnalysisError, match="band"):
        oneway(OXFORD, band=1.5)
    with pytest.raises(AnalysisError, match="no scenario 'nowhere'"):
        oneway(OXFORD, scenario_id="nowhere")


def test_a_proxy_unit_is_per_year_unless_the_outcome_is_spread() -> None:
    """A spread outcome's proxy is its whole value per unit (the value map says
    "per case averted"); any other outcome's is per unit per year it lasts."""
    from pathlib import Path

    from sroi.analysis.factors import unit
    from sroi.scenario import load_scenario

    root = Path(__file__).resolve().parents[1]
    oxford = load_scenario(root / "scenarios" / "family_action_pss" / "oxford.yaml")
    spread = oxford.outcomes["pd_productivity_child"]
    yearly = oxford.outcomes["gp_consultations"]
    assert spread.spread is not None and yearly.spread is None
    # Both are written at other prices than the scenario's 2011-12, and say so.
    assert unit(oxford, "outcomes.pd_productivity_child.proxy") == (
        f"GBP/{spread.per} at 2012-13 prices"
    )
    assert unit(oxford, "outcomes.gp_consultations.proxy") == (
        f"GBP/{yearly.per}/year at 2013-14 prices"
    )
    # Money at the scenario's own price year needs no year.
    assert unit(oxford, "costs.coordinator.salary") == "GBP/year"


def test_a_cost_of_the_volunteer_pool_is_per_volunteer_a_year() -> None:
    """The pool is charged in every delivery year, so a ``per: volunteer``
    line costs so much per volunteer a year; a line per recruit is per recruit
    (it was "GBP/volunteer", as if charged once)."""
    from pathlib import Path

    from sroi.analysis.factors import unit
    from sroi.scenario import load_scenario

    root = Path(__file__).resolve().parents[1]
    oxford = load_scenario(root / "scenarios" / "family_action_pss" / "oxford.yaml")
    lines = oxford.costs.lines
    pool = next(k for k, line in lines.items() if line.per == "volunteer")
    recruited = next(k for k, line in lines.items() if line.per == "volunteer_recruited")
    assert unit(oxford, f"costs.lines.{pool}.amount") == "GBP/volunteer/year"
    assert unit(oxford, f"costs.lines.{recruited}.amount") == "GBP/volunteer_recruited"
    capacity = "volunteers.max_users_per_volunteer"
    assert unit(oxford, capacity) == "women/volunteer/year"
