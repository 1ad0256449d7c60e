"""A site's whole sheet, top to bottom: :mod:`.site` (inputs, caseload,
costs, discounting), :mod:`.site_outcomes` (each outcome) and
:mod:`.site_results` (value by payer, payback and every result)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sroi.reports.xlsx._cells import Sheet
from sroi.reports.xlsx._grid import HEADER_ROW, YEAR0
from sroi.reports.xlsx.site import SiteRows, SiteWriter
from sroi.reports.xlsx.site_outcomes import outcome
from sroi.reports.xlsx.site_results import results, totals
from sroi.scenario.model import Scenario

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook


def site_sheet(
    wb: Workbook, sheet: Sheet, scenario: Scenario, horizon: int, price_year: int
) -> SiteRows:
    """Write the sheet of one site; returns where its rows and results are."""
    w = SiteWriter(wb, sheet, scenario, horizon, sheet.title)
    w.header(scenario.currency, price_year)
    w.inputs()
    w.caseload()
    w.costs()
    w.discounting()
    for oid in scenario.outcomes:
        outcome(w, oid)
    totals(w)
    results(w)
    ws = sheet.ws
    ws.set_column(0, 0, 46)
    ws.set_column(1, 1, 42)
    ws.set_column(2, 2, 15)
    ws.set_column(3, 3, 12)
    ws.set_column(4, 6, 12)
    ws.set_column(YEAR0, YEAR0 + horizon - 1, 11)
    ws.set_row(HEADER_ROW, 45)
    ws.freeze_panes(HEADER_ROW + 1, YEAR0)
    sheet.print_setup(w.row, YEAR0 + horizon - 1, (HEADER_ROW, HEADER_ROW), repeat_cols=(0, 2))
    return w.out
