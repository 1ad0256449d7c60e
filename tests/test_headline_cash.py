"""The report's headline table shows the cash cost, which the public-sector
and cashable returns divide by, under the cost, headed as `sroi run` heads it."""

from __future__ import annotations

import sroi
from sroi.reports import headline, style


def test_the_headline_table_shows_the_cash_cost_under_the_cost() -> None:
    results = sroi.run("scenarios/family_action_pss/oxford.yaml", draws=300, seed=1)
    rows = headline.lines("GBP")
    metrics = [r.metric for r in rows]
    at = metrics.index("cash_cost_pv")
    assert metrics[at - 1] == "cost_pv"
    assert rows[at].label == "of which cash [£]" and rows[at].indent
    cell = headline.cell_text(results, rows[at], "oxford", "GBP")
    cash = results.expected("cash_cost_pv", "oxford")
    assert cell.expected == style.money(cash)
    # The public-sector return divides by it, not by the whole cost.
    public = results.expected("public_value_pv", "oxford")
    assert abs(results.expected("public_roi", "oxford") - public / cash) < 1e-9
    assert cash < results.expected("cost_pv", "oxford")
