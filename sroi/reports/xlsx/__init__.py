"""The Excel workbook: the whole model as live formulas an economist can drive.

Sheets:

``Summary``
    Every result of the run per site and for the programme (the three
    returns, NPV, payback, PVs by payer and value type, caseload), each a
    formula reading the foot of its site's sheet.
``Headline``
    The run's headline table: per site and for the programme, the expected
    value, the median and 90% range of the draws, and the base case (values).
One sheet per site, titled by its name
    The base case's inputs as named entry cells (blue on yellow; money with
    its price year and conversion factor), then, as formulas of those names:
    the caseload and volunteer hours by delivery year, each cost line by its
    driver with overheads, optimism bias and volunteer time in kind, the
    discount factors of each schedule, each outcome's value by year (with
    lag, duration and drop-off, or its spread) and present value, value by
    payer, payback, and every result, named ``result.<metric>``.
``Value map``
    One row per outcome per site, linked to the site's sheet.
``Cash flows``
    Per site and year: cost, value by payer, discounting, the cumulative
    position and payback (linked), the programme's sums, and the 90% band of
    the cumulative position (values).
``Inputs``, ``Sources``, ``Draws`` (up to 10,000 draws of the key metrics), ``Manifest``.

Every formula is written with its cached value, so a reader that does not
recalculate (pandas, a mail preview) shows the base case; Excel recalculates
on opening.  Text is always written as text, never read as a formula.

xlsxwriter (the ``report`` extra) writes the file, imported inside :func:`write`.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sroi.files import Output, Writer, write_files
from sroi.reports.report import Report
from sroi.reports.xlsx._cells import Formats, Sheet, sheet_titles, worksheet_class
from sroi.reports.xlsx.cash_flows import cash_flows
from sroi.reports.xlsx.draws import DRAW_METRICS, draws
from sroi.reports.xlsx.inputs import inputs, sources
from sroi.reports.xlsx.site import SiteRows
from sroi.reports.xlsx.site_sheet import site_sheet
from sroi.reports.xlsx.summary import headline_sheet, manifest, summary
from sroi.reports.xlsx.value_map import value_map

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook

__all__ = ["DRAW_METRICS", "MAX_DRAWS", "SHEETS", "workbook_bytes", "write", "writer"]

#: Most draws written to the Draws sheet (read by :func:`write` on each call).
MAX_DRAWS = 10_000

#: The sheets besides one per site, in order (the site sheets follow Headline).
SHEETS = (
    "Summary",
    "Headline",
    "Value map",
    "Cash flows",
    "Inputs",
    "Sources",
    "Draws",
    "Manifest",
)


def _fill(wb: Workbook, report: Report) -> None:
    fmt = Formats(wb, report.currency)
    plain = worksheet_class()

    def sheet(title: str) -> Sheet:
        return Sheet(wb.add_worksheet(title, worksheet_class=plain), fmt)

    horizon = max(f.horizon for f in report.results.base_flows.values())
    titles = sheet_titles([s.name for s in report.scenarios], set(SHEETS))
    summary_sheet = sheet("Summary")
    headline_sheet(sheet("Headline"), report)
    sites: list[SiteRows] = [
        site_sheet(wb, sheet(title), s, horizon, report.price_year)
        for s, title in zip(report.scenarios, titles, strict=True)
    ]
    value_map(sheet("Value map"), report, sites)
    programme = cash_flows(sheet("Cash flows"), report, sites, horizon)
    summary(summary_sheet, report, sites, programme)
    inputs(sheet("Inputs"), report)
    sources(sheet("Sources"), report)
    draws(sheet("Draws"), report, MAX_DRAWS)
    manifest(sheet("Manifest"), report)
    summary_sheet.ws.activate()


def workbook_bytes(report: Report) -> bytes:
    """The workbook of ``report``, as the bytes of an ``.xlsx`` file."""
    from xlsxwriter import Workbook

    buffer = io.BytesIO()
    wb = Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    _fill(wb, report)
    wb.close()
    return buffer.getvalue()


def writer(report: Report) -> Writer:
    """Build the workbook of ``report`` now; return a writer for
    :func:`sroi.files.write_files` that saves it to the path it is given."""
    data = workbook_bytes(report)

    def save(tmp: Path) -> None:
        tmp.write_bytes(data)

    return save


def write(report: Report, path: Output | str | os.PathLike[str]) -> None:
    """Write the workbook of ``report`` to ``path``, whole or not at all."""
    write_files([(path, writer(report))])
