"""The Value map sheet: one row per outcome per site (SROI Guide stage 4),
its quantity, proxy, adjustments and present value linked to the site's sheet."""

from __future__ import annotations

from sroi.prices import financial_year
from sroi.reports import style
from sroi.reports.report import Report
from sroi.reports.xlsx._cells import Kind, Sheet, sheet_ref
from sroi.reports.xlsx.site import SiteRows, value_schedule
from sroi.vocabulary import OUTCOME_DRIVERS, VALUE_TYPES

_HEADER = 3
#: Linked columns: (key of the outcome's cells on the site sheet, heading, kind).
_LINKED: tuple[tuple[str, str, Kind], ...] = (
    ("quantity", "Quantity (driver × probability, all cohorts)", "count"),
    ("proxy", "Financial proxy at scenario prices [per unit per year]", "money_unit"),
    ("deadweight", "Deadweight", "share"),
    ("attribution", "Attribution", "share"),
    ("displacement", "Displacement", "share"),
    ("drop_off", "Drop-off [per year]", "share"),
    ("duration", "Duration [years]", "number"),
    ("lag", "Lag [years]", "number"),
    ("pv", "Present value", "money"),
)
_TEXT = ("Site", "Outcome", "Stakeholder", "Indicator", "Payer", "Value type", "Cashable", "Driver")
_AFTER = ("Discount schedule", "Proxy source", "Proxy evidence")


def value_map(sh: Sheet, report: Report, sites: list[SiteRows]) -> None:
    """Write the Value map."""
    sh.heading(
        0,
        "Value map: every outcome of every site",
        "Quantity, proxy, adjustments and present value are linked to the site's sheet, "
        "where the inputs can be changed. A spread outcome's timing is on its site's sheet "
        "(its duration is 1 and it has no drop-off). Money in "
        f"{report.currency} at FY {financial_year(report.price_year)} prices.",
    )
    heads = [*_TEXT, *(h for _, h, _ in _LINKED), *_AFTER]
    sh.header(_HEADER, heads)
    row = _HEADER + 1
    for site in sites:
        s = site.scenario
        link = sheet_ref(site.title)
        for oid, o in s.outcomes.items():
            texts = (
                s.name,
                o.label,
                o.stakeholder,
                o.indicator,
                style.PAYER_LABELS[o.payer],
                VALUE_TYPES[o.value_type].label,
                "yes" if o.cashable else "no",
                OUTCOME_DRIVERS[o.per].label,
            )
            for col, text in enumerate(texts):
                sh.text(row, col, text)
            cells = site.outcomes[oid]
            for j, (key, _, kind) in enumerate(_LINKED):
                col = len(_TEXT) + j
                if key not in cells:  # a spread outcome has no duration
                    continue
                cell, value = cells[key]
                sh.formula(row, col, f"={link}{cell}", value, kind, bold=key == "pv")
            after = (value_schedule(s, oid), o.proxy.source, o.proxy.evidence or "not graded")
            for j, text in enumerate(after):
                sh.text(row, len(_TEXT) + len(_LINKED) + j, text)
            row += 1
    ws = sh.ws
    widths = (22, 40, 24, 30, 16, 10, 9, 14, *(12 for _ in _LINKED), 16, 18, 18)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_row(_HEADER, 60)
    ws.freeze_panes(_HEADER + 1, 2)
    last_col = len(heads) - 1
    ws.autofilter(_HEADER, 0, row - 1, last_col)
    sh.print_setup(row - 1, last_col, (_HEADER, _HEADER))
