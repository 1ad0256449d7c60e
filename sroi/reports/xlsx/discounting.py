"""The Discounting sheet: per site, the rate applied on reaching each year and
the discount factors built from it (live)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sroi.engine.discounting import annual_rates
from sroi.reports.report import Report
from sroi.reports.xlsx._cells import _header, _input, _letter, _Styles
from sroi.reports.xlsx._layout import _Layout
from sroi.scenario.model import Scenario

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def _discount_rates(s: Scenario, horizon: int) -> list[float]:
    """Rate applied on reaching each analysis year, so that
    DF_y = DF_(y-1) / (1 + rate_y) with DF_(-1) = 1 reproduces the engine."""
    d = s.discounting
    rate = d.rate.central() if d.rate is not None else None
    rates = [float(r) for r in annual_rates(d.schedule, horizon + 1, rate)]
    if d.convention == "end_of_year":
        return rates[:horizon]
    return [0.0, *rates[: horizon - 1]]


def _discounting(ws: Worksheet, report: Report, lay: _Layout, st: _Styles) -> None:
    ws["A1"] = "Discount factors: live formulas of the rates (change a rate to see the effect)"
    ws["A1"].font = st.title
    ws["A2"] = (
        "DF for year y = DF for year y-1 / (1 + rate applied on reaching year y), starting "
        "from 1. Under the green_book convention year 0 is undiscounted (rate 0); under "
        "end_of_year every year is discounted one more period."
    )
    ws["A2"].font = st.muted
    heads = ["Site", "Schedule", "Convention", "Discount costs", "Row"]
    heads += [f"Year {y}" for y in range(lay.horizon)]
    _header(ws, 4, heads, st)
    row = 5
    for s in report.scenarios:
        d = s.discounting
        rates = _discount_rates(s, lay.horizon)
        lay.df_rows[s.id] = row + 1
        for offset, what in enumerate(
            (
                "Rate applied on reaching the year",
                "Discount factor (value)",
                "Discount factor (cost)",
            )
        ):
            r = row + offset
            ws.cell(r, 1, s.id)
            ws.cell(r, 2, d.schedule)
            ws.cell(r, 3, d.convention)
            ws.cell(r, 4, bool(d.discount_costs))
            ws.cell(r, 5, what)
        for y in range(lay.horizon):
            col = lay.df_first + y
            letter = _letter(col)
            rate_cell = ws.cell(row, col, rates[y])
            rate_cell.number_format = "0.00%"
            _input(rate_cell, st)
            previous = "1" if y == 0 else f"{_letter(col - 1)}{row + 1}"
            ws.cell(row + 1, col, f"={previous}/(1+{letter}{row})").number_format = "0.000000"
            ws.cell(
                row + 2, col, f"=IF($D{row + 2},{letter}{row + 1},1)"
            ).number_format = "0.000000"
        row += 4
    widths = {"A": 16, "B": 18, "C": 14, "D": 9, "E": 32}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "F5"
