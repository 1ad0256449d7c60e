"""The Draws sheet: the key metrics of each stored Monte Carlo draw."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sroi.reports.report import Report
from sroi.reports.xlsx._cells import _finite, _header, _letter, _Styles
from sroi.vocabulary import PROGRAMME

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

#: Metrics on the Draws sheet, per site and for the programme.
DRAW_METRICS = ("sroi_ratio", "npv", "value_pv", "cost_pv", "unit_cost")


def _draws(ws: Worksheet, report: Report, st: _Styles, limit: int) -> None:
    r = report.results
    if not r.draws:
        ws["A1"] = "The run had no Monte Carlo draws (draws = 0)."
        return
    names = [s.id for s in report.scenarios] + ([PROGRAMME] if len(report.scenarios) > 1 else [])
    columns = [(n, m) for n in names for m in DRAW_METRICS]
    stored = len(r.metric(DRAW_METRICS[0], names[0]))
    n = min(stored, limit)
    _header(ws, 1, ["Draw"] + [f"{name}: {metric}" for name, metric in columns], st)
    data = [r.metric(metric, name)[:n] for name, metric in columns]
    for i in range(n):
        ws.append([i * r.stored_every, *(_finite(float(col[i])) for col in data)])
    if r.draws > n:
        every = f"every {r.stored_every}th draw, " if r.stored_every > 1 else ""
        ws.cell(n + 3, 1, f"{n:,} of {r.draws:,} draws ({every}in draw order).").font = st.muted
    ws.freeze_panes = "B2"
    for col in range(2, len(columns) + 2):
        ws.column_dimensions[_letter(col)].width = 16
    ws.row_dimensions[1].height = 32
