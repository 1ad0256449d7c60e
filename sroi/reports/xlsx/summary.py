"""The Summary sheet (the base case recomputed live, then the run's headline
table) and the Manifest sheet (what produced the run)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sroi.reports import headline
from sroi.reports.report import Report
from sroi.reports.xlsx._cells import _finite, _header, _letter, _money_format, _Styles, text
from sroi.reports.xlsx._layout import _Layout
from sroi.vocabulary import PAYERS, PROGRAMME

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def _summary(
    ws: Worksheet, report: Report, lay: _Layout, last_vm: int, last_cf: int, st: _Styles
) -> None:
    r = report.results
    money = _money_format(report.currency)
    ws["A1"] = text(report.title)
    ws["A1"].font = st.title
    ws["A2"] = (
        f"Money in {report.currency} at {report.price_year} prices. Base case (live): "
        "recomputed by the formulas of the Value map, Discounting and Cash flows sheets; edit "
        "a blue input there and these cells follow. Engine columns and the headline table "
        "below are the run's values."
    )
    ws["A2"].font = st.muted
    _header(
        ws,
        4,
        [
            "Site",
            "Cost PV (live)",
            "Value PV (live)",
            "NPV (live)",
            "SROI ratio (live)",
            "Engine: SROI ratio, base case",
            "Engine: value PV, base case",
        ],
        st,
    )
    vm = "'Value map'!"
    cf = "'Cash flows'!"
    pv_col = _letter(lay.pv)
    dc_col = _letter(4 + len(PAYERS) + 3)
    row = 5
    for s in report.scenarios:
        ws.cell(row, 1, s.id)
        ws.cell(row, 2, f"=SUMIF({cf}$A$5:$A${last_cf},A{row},{cf}${dc_col}$5:${dc_col}${last_cf})")
        ws.cell(row, 3, f"=SUMIF({vm}$A$5:$A${last_vm},A{row},{vm}${pv_col}$5:${pv_col}${last_vm})")
        row += 1
    if len(report.scenarios) > 1:
        ws.cell(row, 1, PROGRAMME)
        ws.cell(row, 2, f"=SUM(B5:B{row - 1})")
        ws.cell(row, 3, f"=SUM(C5:C{row - 1})")
        row += 1
    for i in range(5, row):
        ws.cell(i, 4, f"=C{i}-B{i}")
        ws.cell(i, 5, f'=IF(B{i}>0,C{i}/B{i},"")').number_format = "0.000"
        name = ws.cell(i, 1).value
        ws.cell(i, 6, _finite(r.base_value("sroi_ratio", str(name)))).number_format = "0.000"
        ws.cell(i, 7, _finite(r.base_value("value_pv", str(name))))
        for col in (2, 3, 4, 7):
            ws.cell(i, col).number_format = money
        ws.cell(i, 5).font = st.bold

    row += 2
    ws.cell(row, 1, "Headline results of the run (values)").font = st.bold
    row += 1
    cols = headline.columns(r)
    heads = ["Metric"]
    for _, head in cols:
        heads += [f"{head}: base case", f"{head}: 5th percentile", f"{head}: 95th percentile"]
    _header(ws, row, heads, st)
    for line in headline.lines(report.currency):
        row += 1
        ws.cell(row, 1, ("    " if line.indent else "") + line.label)
        for j, (name, _) in enumerate(cols):
            st_ = headline.stat(r, line.metric, name)
            fmt = {"money": money, "ratio": "0.00", "share": "0%", "count": "0.0", "whole": "0"}[
                line.kind
            ]
            for k, x in enumerate((st_.base, st_.p5, st_.p95)):
                cell = ws.cell(row, 2 + 3 * j + k, _finite(x))
                cell.number_format = fmt
    ws.column_dimensions["A"].width = 46
    for col in range(2, 2 + 3 * len(cols)):
        ws.column_dimensions[_letter(col)].width = 16
    ws.row_dimensions[4].height = 32


def _manifest(ws: Worksheet, report: Report, st: _Styles) -> None:
    m = report.manifest
    row = 1
    for label, value in m.items():
        ws.cell(row, 1, text(label)).font = st.bold
        ws.cell(row, 2, text(value))
        row += 1
    row += 1
    _header(ws, row, ["Scenario id", "Name", "File", "SHA-256", "Currency", "Price year"], st)
    for s in m.scenarios:
        row += 1
        for col, entry in enumerate((s.id, s.name, s.file, s.sha256, s.currency, s.price_year), 1):
            ws.cell(row, col, text(entry))
    for letter, width in zip("ABCDEF", (20, 50, 50, 66, 9, 10), strict=True):
        ws.column_dimensions[letter].width = width
