"""Per-year value kept only over a perspective's payback years gives the
numbers the whole horizon gives, bit for bit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sroi.engine.model import Flows, compute
from sroi.engine.runner import RunPlan
from sroi.engine.years import cumulative, payback, payback_years, perspective_years
from sroi.scenario import load_scenario
from sroi.vocabulary import PERSPECTIVES

SITE = Path(__file__).resolve().parent.parent / "scenarios" / "family_action_pss" / "oxford.yaml"


@pytest.fixture(scope="module")
def flows() -> Flows:
    """Oxford at 3,000 draws (more than one slice of per-year arrays)."""
    plan = RunPlan.build([load_scenario(SITE)], 0)
    return compute(plan.scenarios[0], plan.samplers[0].draws(0, 3000), plan.horizon)


def whole_horizon(flows: Flows, perspective: str) -> np.ndarray:
    """The perspective's discounted value per year over every analysis year,
    its payers added in order, as the formulas write it."""
    p = PERSPECTIVES[perspective]
    if p.cashable_only:
        return flows.discounted_years(flows.cashable_outcomes)
    total = np.zeros((flows.horizon, flows.draws))
    for payer in p.payers:
        total = total + flows.discounted_years(flows.payer_outcomes[payer])
    return total


def test_some_perspectives_need_fewer_years_than_the_horizon(flows: Flows) -> None:
    # Oxford's NHS outcomes reach year 20 at the latest (a child's NHS cost
    # over 18 years from cohort year 2); its cashable ones last one year per
    # cohort, so its three delivery years; society's productivity reaches 67.
    years = {pid: payback_years(flows, p) for pid, p in PERSPECTIVES.items()}
    assert years["nhs"] == 20
    assert years["cashable"] == 3
    assert years["society"] == flows.horizon == 67


def test_kept_years_equal_the_whole_horizon_bit_for_bit(flows: Flows) -> None:
    kept = perspective_years(flows)
    for pid in PERSPECTIVES:
        whole = whole_horizon(flows, pid)
        rows = kept[pid].shape[0]
        assert rows == payback_years(flows, PERSPECTIVES[pid])
        assert np.array_equal(kept[pid], whole[:rows]), pid
        assert not np.any(whole[rows:]), f"{pid}: value after its payback years"


def test_paybacks_over_kept_years_equal_the_whole_horizon(flows: Flows) -> None:
    kept = perspective_years(flows)
    cost = cumulative(flows.delivery_cost.T * flows.cost_discount[0, : flows.years, None])
    for pid in PERSPECTIVES:
        whole = payback(cumulative(whole_horizon(flows, pid)), cost)
        short = payback(cumulative(kept[pid]), cost)
        assert np.array_equal(whole, short, equal_nan=True), pid
