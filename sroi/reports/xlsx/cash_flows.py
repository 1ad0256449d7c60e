"""The Cash flows sheet: per site and year, cost, value by payer (live, from
the Value map), discounting and the cumulative net position."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sroi.reports import style
from sroi.reports.report import Report
from sroi.reports.xlsx._cells import _header, _input, _letter, _money_format, _Styles
from sroi.reports.xlsx._layout import _Layout, value_schedule
from sroi.vocabulary import PAYERS

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def _cash_flows(ws: Worksheet, report: Report, lay: _Layout, last_vm: int, st: _Styles) -> int:
    """Write Cash flows; returns the last data row."""
    money = _money_format(report.currency)
    ws["A1"] = "Cash flows per site and year: value (live, from the Value map) and cost"
    ws["A1"].font = st.title
    ws["A2"] = (
        "Cost is the engine's base case (undiscounted). Value by payer sums the Value map's "
        "value in each year; discounted value applies each outcome's own discount schedule. "
        "The cumulative net position is discounted value minus discounted "
        "cost, added up; the 90% band comes from the Monte Carlo draws."
    )
    ws["A2"].font = st.muted
    heads = ["Site", "Year", "Cost (undiscounted)"]
    heads += [f"Value to {style.PAYER_LABELS[p]}" for p in PAYERS]
    heads += [
        "Value (undiscounted)",
        "Discount factor (value)",
        "Discount factor (cost)",
        "Cost, discounted",
        "Value, discounted",
        "Cumulative net position",
        "Cumulative net, 5th percentile",
        "Cumulative net, 95th percentile",
    ]
    _header(ws, 4, heads, st)
    vm = "'Value map'!"
    site_col, payer_col, schedule_col = (
        f"{vm}${lay.c(name)}$5:${lay.c(name)}${last_vm}" for name in ("site", "payer", "schedule")
    )
    row = 5
    r = report.results
    for s in report.scenarios:
        f = r.base_flows[s.id]
        band = None
        if r.yearly is not None:
            band = np.percentile(r.yearly[s.id], [5.0, 95.0], axis=0)
        for y in range(lay.horizon):
            ws.cell(row, 1, s.id)
            ws.cell(row, 2, y)
            cost = ws.cell(row, 3, float(f.cost[0][y]))
            cost.number_format = money
            _input(cost, st)
            vl = _letter(lay.value[y])
            for i, payer in enumerate(PAYERS):
                ws.cell(
                    row,
                    4 + i,
                    f'=SUMIFS({vm}${vl}$5:${vl}${last_vm},{site_col},$A{row},{payer_col},"{payer}")',
                ).number_format = money
            value_col = 4 + len(PAYERS)
            first_p, last_p = _letter(4), _letter(3 + len(PAYERS))
            ws.cell(row, value_col, f"=SUM({first_p}{row}:{last_p}{row})").number_format = money
            ws.cell(row, value_col + 1, f"={lay.df_cell(s.id, s.discounting.schedule, y)}")
            ws.cell(row, value_col + 2, f"={lay.cost_df_cell(s.id, y)}")
            dc, dv = value_col + 3, value_col + 4
            ws.cell(row, dc, f"=C{row}*{_letter(value_col + 2)}{row}").number_format = money
            by_schedule = [
                f'SUMIFS({vm}${vl}$5:${vl}${last_vm},{site_col},$A{row},{schedule_col},"{sch}")'
                f"*{lay.df_cell(s.id, sch, y)}"
                for sch in dict.fromkeys(value_schedule(s, o) for o in s.outcomes.values())
            ]
            ws.cell(row, dv, "=" + ("+".join(by_schedule) or "0")).number_format = money
            net = f"{_letter(dv)}{row}-{_letter(dc)}{row}"
            previous = "" if y == 0 else f"{_letter(dv + 1)}{row - 1}+"
            ws.cell(row, dv + 1, f"={previous}{net}").number_format = money
            if band is not None:
                ws.cell(row, dv + 2, float(band[0][y])).number_format = money
                ws.cell(row, dv + 3, float(band[1][y])).number_format = money
            row += 1
    ws.column_dimensions["A"].width = 16
    for col in range(3, 4 + len(PAYERS) + 8):
        ws.column_dimensions[_letter(col)].width = 15
    ws.row_dimensions[4].height = 45
    ws.freeze_panes = "C5"
    return row - 1
