"""The Excel workbook: a value map an economist can change and recompute.

Sheets:

``Summary``
    Base case recomputed live from the other sheets (cost PV, value PV, NPV,
    SROI ratio per site and for the programme) beside the engine's own base
    case, then the headline table of the run (values).
``Value map``
    One row per outcome per site.  Base-case drivers per cohort year,
    probability, proxy as written, its price factor, adjustments, duration
    and lag are values (blue on yellow: change them); the proxy used,
    quantity, impact, value per analysis year and present value are live
    formulas of those cells.  The PV formula is the
    engine's: cohort t's impact reaches year y = t + lag + k with weight
    min(max(duration - k, 0), 1) (a fractional last year counts pro rata)
    times (1 - drop-off)^k, discounted by the factors on ``Discounting``.
``Discounting``
    Per site and discount schedule, the rate applied on reaching each year and
    the discount factors built from it (live), and the factors applied to cost.
``Spreads``
    Start, years and weights of every outcome whose value is spread over
    years (read live by the Value map).
``Cash flows``
    Per site and year: cost (value), value by payer (live, from the value
    map), discounted cost and value and the cumulative net position (live),
    with the 90% band of the draws (values).
``Inputs``
    Every input value with its distribution, central value, 90% range,
    evidence grade, source and note.
``Sources``, ``Draws`` (up to 10,000 draws of the key metrics), ``Manifest``.

openpyxl is imported inside :func:`workbook` (the ``report`` extra).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sroi.files import Output, Writer, write_files
from sroi.reports.report import Report
from sroi.reports.xlsx._cells import _Styles, defuse
from sroi.reports.xlsx._layout import _Layout
from sroi.reports.xlsx.cash_flows import _cash_flows
from sroi.reports.xlsx.discounting import _discounting
from sroi.reports.xlsx.draws import DRAW_METRICS, _draws
from sroi.reports.xlsx.inputs import _inputs, _sources
from sroi.reports.xlsx.summary import _manifest, _summary
from sroi.reports.xlsx.value_map import _spreads, _value_map

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = ["DRAW_METRICS", "MAX_DRAWS", "workbook", "write", "writer"]

#: Most draws written to the Draws sheet (read by :func:`workbook` on each call).
MAX_DRAWS = 10_000


def workbook(report: Report) -> Workbook:
    """The workbook of ``report`` (an ``openpyxl.Workbook``)."""
    from openpyxl import Workbook

    st = _Styles()
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "Summary"
    vm = wb.create_sheet("Value map")
    disc = wb.create_sheet("Discounting")
    spreads = wb.create_sheet("Spreads")
    cf = wb.create_sheet("Cash flows")
    lay = _Layout(report)
    _discounting(disc, report, lay, st)
    _spreads(spreads, report, lay, st)
    last_vm = _value_map(vm, report, lay, st)
    last_cf = _cash_flows(cf, report, lay, last_vm, st)
    _summary(summary, report, lay, last_vm, last_cf, st)
    _inputs(wb.create_sheet("Inputs"), report, st)
    _sources(wb.create_sheet("Sources"), report, st)
    _draws(wb.create_sheet("Draws"), report, st, MAX_DRAWS)
    _manifest(wb.create_sheet("Manifest"), report, st)
    defuse(wb)
    return wb


def writer(report: Report) -> Writer:
    """Build the workbook of ``report`` now; return a writer for
    :func:`sroi.files.write_files` that saves it to the path it is given."""
    wb = workbook(report)

    def save(tmp: Path) -> None:
        wb.save(tmp)

    return save


def write(report: Report, path: Output | str | os.PathLike[str]) -> None:
    """Write the workbook of ``report`` to ``path``, whole or not at all."""
    write_files([(path, writer(report))])
