"""The Discounting sheet: per site, the rate applied on reaching each year and
the discount factors built from it (live)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sroi.engine.discounting import annual_rates
from sroi.reports.report import Report
from sroi.reports.xlsx._cells import _header, _input, _letter, _Styles
from sroi.reports.xlsx._layout import _Layout, cost_schedule, schedules
from sroi.scenario.model import Scenario

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def _discount_rates(s: Scenario, horizon: int, schedule: str) -> list[float]:
    """Rate applied on reaching each analysis year, so that
    DF_y = DF_(y-1) / (1 + rate_y) with DF_(-1) = 1 reproduces the engine."""
    d = s.discounting
    rate = d.rate.central() if d.rate is not None and schedule == "constant" else None
    rates = [float(r) for r in annual_rates(schedule, horizon + 1, rate)]
    if d.convention == "end_of_year":
        return rates[:horizon]
    return [0.0, *rates[: horizon - 1]]


def _row_head(
    ws: Worksheet, row: int, site: str, schedule: str, convention: str, costs: bool, what: str
) -> None:
    for col, value in enumerate((site, schedule, convention, bool(costs), what), 1):
        ws.cell(row, col, value)


def _discounting(ws: Worksheet, report: Report, lay: _Layout, st: _Styles) -> None:
    ws["A1"] = "Discount factors: live formulas of the rates (change a rate to see the effect)"
    ws["A1"].font = st.title
    ws["A2"] = (
        "DF for year y = DF for year y-1 / (1 + rate applied on reaching year y), starting "
        "from 1. Under the green_book convention year 0 is undiscounted (rate 0); under "
        "end_of_year every year is discounted one more period. Each schedule a site uses "
        "has its own rows: outcomes on green_book_health use the health rates, costs stay "
        "on green_book."
    )
    ws["A2"].font = st.muted
    heads = ["Site", "Schedule", "Convention", "Discount costs", "Row"]
    heads += [f"Year {y}" for y in range(lay.horizon)]
    _header(ws, 4, heads, st)
    row = 5
    for s in report.scenarios:
        d = s.discounting
        for schedule in schedules(s):
            rates = _discount_rates(s, lay.horizon, schedule)
            lay.df_rows[(s.id, schedule)] = row + 1
            for offset, what in enumerate(("Rate applied on reaching the year", "Discount factor")):
                _row_head(ws, row + offset, s.id, schedule, d.convention, d.discount_costs, what)
            for y in range(lay.horizon):
                col = lay.df_first + y
                rate_cell = ws.cell(row, col, rates[y])
                rate_cell.number_format = "0.00%"
                _input(rate_cell, st)
                previous = "1" if y == 0 else f"{_letter(col - 1)}{row + 1}"
                ws.cell(
                    row + 1, col, f"={previous}/(1+{_letter(col)}{row})"
                ).number_format = "0.000000"
            row += 2
        lay.cost_rows[s.id] = row
        what = "Discount factor applied to cost"
        _row_head(ws, row, s.id, cost_schedule(s), d.convention, d.discount_costs, what)
        for y in range(lay.horizon):
            factor = lay.df_cell(s.id, cost_schedule(s), y)
            ws.cell(row, lay.df_first + y, f"=IF($D{row},{factor},1)").number_format = "0.000000"
        row += 2
    widths = {"A": 16, "B": 18, "C": 14, "D": 9, "E": 32}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "F5"
