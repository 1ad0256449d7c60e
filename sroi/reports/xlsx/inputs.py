"""The Inputs sheet (every input value with its distribution and evidence)
and the Sources sheet (the bibliography)."""

from __future__ import annotations

from sroi.reports.inputs import input_rows
from sroi.reports.report import Report
from sroi.reports.xlsx._cells import Sheet


def inputs(sh: Sheet, report: Report) -> None:
    """Write the Inputs sheet: values, not formulas (the live inputs are on
    each site's sheet)."""
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
    sh.header(0, heads)
    row = 1
    wrap = sh.fmt.get(wrap=True)
    widths = (22, 48, 44, 30, 14, 10, 10, 14, 14, 14, 10, 18, 18, 60, 90)
    for s in report.scenarios:
        for item in input_rows(s):
            ref = refs.get(item.source or "")
            sh.text(row, 0, s.name)
            sh.text(row, 1, item.label, wrap)
            sh.text(row, 2, item.path)
            sh.text(row, 3, item.distribution)
            sh.number(row, 4, item.central, "number")
            sh.number(row, 5, item.price_year, "year")
            sh.number(row, 6, item.factor, "factor")
            sh.number(row, 7, item.used, "number")
            sh.number(row, 8, item.p5, "number")
            sh.number(row, 9, item.p95, "number")
            sh.text(row, 10, "yes" if item.shared else "no")
            sh.text(row, 11, item.evidence or "not graded")
            sh.text(row, 12, item.source)
            sh.text(row, 13, ref.citation if ref else None, wrap)
            sh.text(row, 14, item.note, wrap)
            citation = ref.citation if ref else None
            sh.fit_row(
                row, [(item.label, widths[1]), (citation, widths[13]), (item.note, widths[14])]
            )
            row += 1
    for col, width in enumerate(widths):
        sh.ws.set_column(col, col, width)
    sh.ws.set_row(0, 32)
    sh.ws.freeze_panes(1, 3)
    sh.ws.autofilter(0, 0, max(row - 1, 0), len(heads) - 1)
    # Fifteen columns: readable type on pages across, each with the site and
    # the value's name repeated, rather than all of them shrunk onto one.
    sh.print_setup(row - 1, len(heads) - 1, (0, 0), repeat_cols=(0, 1))


def sources(sh: Sheet, report: Report) -> None:
    """Write the Sources sheet."""
    sh.header(0, ["No.", "Key", "Citation", "URL", "Year", "Cited by (site: path)"])
    wrap = sh.fmt.get(wrap=True)
    widths = (5, 22, 80, 40, 6, 80)
    for i, ref in enumerate(report.references, 1):
        cited = "; ".join(f"{sid}: {path}" for sid, path in ref.cited_by)
        sh.number(i, 0, ref.number, "year")
        sh.text(i, 1, ref.key, wrap)
        sh.text(i, 2, ref.citation, wrap)
        sh.text(i, 3, ref.url, wrap)
        sh.number(i, 4, ref.year, "year")
        sh.text(i, 5, cited, wrap)
        sh.fit_row(i, [(ref.citation, widths[2]), (ref.url, widths[3]), (cited, widths[5])])
    for col, width in enumerate(widths):
        sh.ws.set_column(col, col, width)
    sh.ws.freeze_panes(1, 0)
    sh.print_setup(len(report.references), 5, (0, 0))
