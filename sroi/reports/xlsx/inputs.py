"""The Inputs sheet (every input value with its distribution and evidence)
and the Sources sheet (the bibliography)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sroi.reports.inputs import input_rows
from sroi.reports.report import Report
from sroi.reports.xlsx._cells import _header, _Styles, text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def _inputs(ws: Worksheet, report: Report, st: _Styles) -> None:
    refs = {ref.key: ref for ref in report.references}
    heads = [
        "Site",
        "Input",
        "Path",
        "Distribution (as written)",
        "Central value as written",
        "Price year (money)",
        "Price factor",
        "Central value used (base case)",
        "5th percentile (as written)",
        "95th percentile (as written)",
        "Shared across sites",
        "Evidence",
        "Source",
        "Citation",
        "Note",
    ]
    _header(ws, 1, heads, st)
    row = 2
    for s in report.scenarios:
        for item in input_rows(s):
            ref = refs.get(item.source or "")
            cells = [
                item.scenario,
                item.label,
                item.path,
                item.distribution,
                item.central,
                item.price_year,
                item.factor,
                item.used,
                item.p5,
                item.p95,
                item.shared,
                item.evidence or "not graded",
                item.source,
                ref.citation if ref else None,
                item.note,
            ]
            for col, value in enumerate(cells, 1):
                ws.cell(row, col, text(value))
            row += 1
    for letter, width in zip(
        "ABCDEFGHIJKLMNO",
        (14, 48, 44, 30, 14, 10, 10, 14, 14, 14, 10, 18, 18, 60, 90),
        strict=True,
    ):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:O{row - 1}"


def _sources(ws: Worksheet, report: Report, st: _Styles) -> None:
    _header(ws, 1, ["No.", "Key", "Citation", "URL", "Year", "Cited by (site: path)"], st)
    for i, ref in enumerate(report.references, 2):
        cited = "; ".join(f"{sid}: {path}" for sid, path in ref.cited_by)
        for col, value in enumerate(
            (ref.number, ref.key, ref.citation, ref.url, ref.year, cited), 1
        ):
            ws.cell(i, col, text(value)).alignment = st.wrap
    for letter, width in zip("ABCDEF", (5, 22, 80, 40, 6, 80), strict=True):
        ws.column_dimensions[letter].width = width
