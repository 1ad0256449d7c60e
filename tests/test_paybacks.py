"""The payback search builds value per year only for the years and draws
still undecided; its payback years are those of a plain search over every
year and draw, bit for bit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from sroi.engine.ledger import Ledger
from sroi.engine.model import Flows, Placement, compute
from sroi.engine.paybacks import (
    ProgrammeValue,
    first_years,
    perspective_pvs,
    perspective_signs,
    search,
    year_results,
    years_to_search,
)
from sroi.engine.runner import RunPlan
from sroi.engine.years import (
    cost_years,
    cumulative,
    delivery_total,
    payback,
    payback_years,
    perspective_ledger,
)
from sroi.scenario import load_scenario
from sroi.vocabulary import PERSPECTIVES

SITES = Path(__file__).resolve().parent.parent / "scenarios" / "family_action_pss"


def site_flows(name: str, draws: int = 3000) -> Flows:
    plan = RunPlan.build([load_scenario(SITES / f"{name}.yaml")], 0)
    return compute(plan.scenarios[0], plan.samplers[0].draws(0, draws), plan.horizon)


@pytest.fixture(scope="module")
def flows() -> Flows:
    """Oxford at 3,000 draws."""
    return site_flows("oxford")


def plain_paybacks(ledger: Ledger, cum_cost: np.ndarray, years: int) -> np.ndarray:
    """Every year of every draw built at once, cumulated and searched."""
    return payback(cumulative(ledger.rows(0, years)), cum_cost)


def test_some_perspectives_need_fewer_years_than_the_horizon(flows: Flows) -> None:
    # Oxford's NHS outcomes reach year 20 at the latest (a child's NHS cost
    # over 18 years from cohort year 2); its cashable ones last one year per
    # cohort, so its three delivery years; society's productivity reaches 67.
    years = {pid: payback_years(flows, p) for pid, p in PERSPECTIVES.items()}
    assert years["nhs"] == 20
    assert years["cashable"] == 3
    assert years["society"] == flows.horizon == 67


def test_ledger_rows_do_not_depend_on_the_years_and_draws_built(flows: Flows) -> None:
    ledger = perspective_ledger(flows, PERSPECTIVES["society"])
    whole = ledger.rows()
    picked = np.array([5, 17, 2999, 0, 1234])
    assert np.array_equal(ledger.rows(3, 11, picked), whole[3:14, picked])
    assert np.array_equal(ledger.rows(40, 27, slice(100, 200)), whole[40:, 100:200])
    reach = flows.reach(tuple(flows.placements))
    assert reach == 67 and np.all(whole[reach - 1] > 0)


def test_a_ledger_is_the_sum_of_its_outcomes(flows: Flows) -> None:
    # Columns spread alike are added before they are spread, so the sums
    # are in another order than outcome by outcome: equal to rounding.
    for pid, p in PERSPECTIVES.items():
        ids = flows.cashable_outcomes if p.cashable_only else None
        if ids is None:
            ids = tuple(o for payer in p.payers for o in flows.payer_outcomes[payer])
        by_outcome = flows.discounted_years(ids)
        np.testing.assert_allclose(
            perspective_ledger(flows, p).rows(), by_outcome, rtol=1e-12, atol=1e-9, err_msg=pid
        )


@pytest.mark.parametrize("site", ["oxford", "west_mansfield"])
def test_search_gives_the_plain_paybacks(site: str) -> None:
    flows = site_flows(site)
    results = year_results(flows).paybacks
    costs = {basis: cumulative(c) for basis, c in cost_years(flows).items()}
    decided_early = 0
    for pid, p in PERSPECTIVES.items():
        years = payback_years(flows, p)
        plain = plain_paybacks(perspective_ledger(flows, p), costs[p.cost], years)
        assert np.array_equal(results[p.payback_metric], plain, equal_nan=True), pid
        need = years_to_search(
            perspective_pvs(flows)[pid], perspective_signs(flows)[pid], costs[p.cost], years
        )
        decided_early += int(np.count_nonzero(need < years))
    # The test means something only if the bound decides some draws early.
    assert decided_early > 1000


def test_programme_search_gives_the_plain_paybacks() -> None:
    plan = RunPlan.build([load_scenario(p) for p in sorted(SITES.glob("[!_]*.yaml"))], 0)
    n = 2500
    programme = ProgrammeValue(plan.horizon, n)
    shared: dict = {}
    ledgers = {pid: Ledger(plan.horizon, n) for pid in PERSPECTIVES}
    for s, sampler in zip(plan.scenarios, plan.samplers, strict=True):
        flows = compute(s, sampler.draws(0, n, shared), plan.horizon)
        year_results(flows, programme)
        for pid, p in PERSPECTIVES.items():
            ledgers[pid].merge(perspective_ledger(flows, p))
    found = programme.paybacks()
    for pid, p in PERSPECTIVES.items():
        cum_cost = cumulative(programme._cost[p.cost])
        plain = plain_paybacks(ledgers[pid], cum_cost, plan.horizon)
        assert np.array_equal(found[p.payback_metric], plain, equal_nan=True), pid


def ledger_of(values: list[list[float]]) -> Ledger:
    """A ledger whose value per year of draw d is ``values[d]`` (one unit
    column per year)."""
    table = np.array(values, dtype=float)
    draws, years = table.shape
    ledger = Ledger(years, draws)
    for y in range(years):
        ledger.add(table[:, y], np.eye(years)[y])
    return ledger


def signs(values: list[list[float]]) -> np.ndarray:
    """Per draw: every value per year >= 0."""
    return np.all(np.array(values) >= 0, axis=1)


def run_search(values: list[list[float]], cost: list[float], pv: list[float]) -> np.ndarray:
    ledger = ledger_of(values)
    cum_cost = cumulative(np.array(cost, dtype=float)[:, np.newaxis])
    need = years_to_search(np.array(pv), signs(values), cum_cost, ledger.horizon)
    return search(ledger, cum_cost, np.broadcast_to(need, (ledger.draws,)))


def test_hand_worked_searches() -> None:
    # Cost 60 then 40: cumulative 60, 100, then held at 100.
    cost = [60.0, 40.0]
    values = [
        [10.0, 20.0, 30.0, 40.0, 0.0, 0.0],  # cumulative 10 30 60 100: year 3, a tie
        [70.0, 0.0, 0.0, 0.0, 0.0, 0.0],  # 70 >= 60 in year 0
        [50.0, 40.0, 0.0, 0.0, 0.0, 5.0],  # 90 until year 5, 95 < 100: never
        [50.0, 40.0, 0.0, 0.0, 0.0, 10.0],  # reaches 100 in year 5, the last year
        [150.0, -90.0, 0.0, 0.0, 0.0, 40.0],  # 150, 60 < 100, then 100 in year 5
    ]
    pv = [sum(row) for row in values]
    found = run_search(values, cost, pv)
    assert np.array_equal(found, [3.0, 0.0, np.nan, 5.0, 0.0], equal_nan=True)


def test_the_bound_decides_only_what_it_proves() -> None:
    cost = [60.0, 40.0]
    values = [
        [10.0, 10.0, 10.0, 10.0],  # total 40 < 60 from year 0 on: never, searched 0 years
        [0.0, 90.0, 0.0, 0.0],  # total 90 < 100 from year 1 on: searched 1 year
        [-50.0, 20.0, 130.0, 0.0],  # a negative year: no bound; 100 in year 2
    ]
    pv = [sum(row) for row in values]
    cum_cost = cumulative(np.array(cost)[:, np.newaxis])
    need = years_to_search(np.array(pv), signs(values), cum_cost, 4)
    assert need.tolist() == [0, 1, 4]
    assert np.array_equal(run_search(values, cost, pv), [np.nan, np.nan, 2.0], equal_nan=True)


def test_first_years_blocks_agree_with_one_block() -> None:
    # Many draws with paybacks spread over 40 years, so the search drops
    # decided draws between blocks and carries the running sums on.
    rng = np.random.default_rng(7)
    n, years = 4000, 40
    values = rng.exponential(1.0, (years, n)) * rng.uniform(0.2, 3.0, n)
    cum_cost = np.array([[30.0], [50.0]])
    expected = payback(cumulative(values.copy()), cum_cost)
    need = np.full(n, years)

    def rows(first: int, length: int, ids: np.ndarray | None) -> np.ndarray:
        block = values[first : first + length]
        return (block if ids is None else block[:, ids]).copy()

    found = first_years(rows, cum_cost, need)
    assert np.array_equal(found, expected, equal_nan=True)
    # Paybacks fall in each block of years (0-1, 2-9, 10-17, 18-33, 34-39)
    # but the first, and 39% of draws never pay back.
    counts, _ = np.histogram(found[~np.isnan(found)], bins=[0, 2, 10, 18, 34, 40])
    assert counts[0] == 0 and np.all(counts[1:] > 0)
    assert 0.3 < np.mean(np.isnan(found)) < 0.5


def test_a_negative_value_in_one_draw_lifts_the_bound_there_only(flows: Flows) -> None:
    signs = perspective_signs(flows)
    assert all(np.all(v) for v in signs.values())
    oid = flows.payer_outcomes["nhs"][0]
    placed = flows.placements[oid]
    columns = placed.columns.copy()
    columns[0, 7] = -1.0
    columns[0, 9] = np.nan
    changed = replace(
        flows, placements={**flows.placements, oid: Placement(columns, placed.matrix)}
    )
    signs = perspective_signs(changed)
    for pid, p in PERSPECTIVES.items():
        counts = oid in (flows.cashable_outcomes if p.cashable_only else ()) or (
            not p.cashable_only and "nhs" in p.payers
        )
        expected = np.ones(flows.draws, dtype=bool)
        if counts:
            expected[[7, 9]] = False
        assert np.array_equal(np.broadcast_to(signs[pid], (flows.draws,)), expected), pid


def test_a_ledger_with_more_columns_than_years_keeps_years() -> None:
    rng = np.random.default_rng(3)
    years, draws = 5, 40
    ledger = Ledger(years, draws)
    columns = rng.uniform(0, 10, (7, draws))
    weights = rng.uniform(0, 1, (7, years))
    weights[2, :2] = 0.0  # a column that starts in year 2
    for column, w in zip(columns, weights, strict=True):
        ledger.add(column, w)
    ledger.add(columns[0], weights[0])  # spread alike: added to the first
    assert ledger.per_year is not None and not ledger.columns
    expected = weights.T @ columns + np.outer(weights[0], columns[0])
    np.testing.assert_allclose(ledger.rows(), expected, rtol=1e-12)
    picked = np.array([3, 0, 39])
    assert np.array_equal(ledger.rows(1, 3, picked), ledger.rows()[1:4, picked])


def test_a_discount_rate_drawn_per_draw_gives_the_plain_paybacks(tmp_path: Path) -> None:
    for path in SITES.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.name == "_common.yaml":
            text = text.replace(
                "  schedule: green_book\n",
                "  schedule: constant\n  rate: {uniform: [0.015, 0.05], evidence: assumption}\n",
            )
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    scenarios = [load_scenario(tmp_path / "oxford.yaml"), load_scenario(tmp_path / "hackney.yaml")]
    plan = RunPlan.build(scenarios, 0)
    n = 2000
    programme = ProgrammeValue(plan.horizon, n)
    shared: dict = {}
    society = Ledger(plan.horizon, n)
    for s, sampler in zip(plan.scenarios, plan.samplers, strict=True):
        flows = compute(s, sampler.draws(0, n, shared), plan.horizon)
        assert flows.outcome_discount[next(iter(flows.placements))].shape == (n, plan.horizon)
        found = year_results(flows, programme).paybacks["payback_year"]
        ledger = perspective_ledger(flows, PERSPECTIVES["society"])
        assert ledger.per_year is not None and not ledger.columns
        cost = cumulative(cost_years(flows)["cost_pv"])
        plain = plain_paybacks(ledger, cost, flows.horizon)
        assert np.array_equal(found, plain, equal_nan=True)
        society.merge(ledger)
    cost = cumulative(programme._cost["cost_pv"])
    plain = plain_paybacks(society, cost, plan.horizon)
    assert np.array_equal(programme.paybacks()["payback_year"], plain, equal_nan=True)


@pytest.mark.parametrize("years", [1, 3, 7, 12])
def test_delivery_totals_add_year_by_year(years: int) -> None:
    rng = np.random.default_rng(years)
    values = rng.standard_normal((500, years)) * 10 ** rng.uniform(-3, 6, (500, years))
    expected = values[:, 0].copy()
    for y in range(1, years):
        expected = expected + values[:, y]
    found = delivery_total(values)
    assert np.array_equal(found, expected)
    if years < 8:  # numpy's own sum of a short row adds in the same order
        assert np.array_equal(found, np.sum(values, axis=1))
    # A draw's total does not depend on the other draws.
    assert np.array_equal(delivery_total(values[7:8]), found[7:8])
