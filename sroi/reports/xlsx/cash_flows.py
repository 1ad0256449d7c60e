"""The Cash flows sheet: per site and year, cost and value by payer (linked
to the site's sheet), discounting, the cumulative position and payback, and
the programme's sums; the 90% band of the draws beside them (values)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sroi.prices import financial_year
from sroi.reports.report import Report
from sroi.reports.xlsx._cells import Sheet, ref, sheet_ref
from sroi.reports.xlsx._grid import YEAR0
from sroi.reports.xlsx.site import SiteRows
from sroi.vocabulary import PAYERS, PROGRAMME

_HEADER = 3
#: (key on the site sheet, heading) of the columns linked to each site's sheet.
_LINKED = (
    ("cost", "Cost (undiscounted)"),
    *((f"value.{p}", f"Value to {PAYERS[p].phrase}") for p in PAYERS),
    ("value", "Value (undiscounted)"),
    ("cost_discounted", "Cost, discounted"),
    ("value_discounted", "Value, discounted"),
)
_FIRST_LINKED = 2
_CUM = _FIRST_LINKED + len(_LINKED)  # cumulative cost, value, net, paid back


@dataclass(frozen=True)
class ProgrammeRows:
    """Where the programme's block sits, for the Summary's payback formula."""

    first: int
    last: int
    paid_back_col: int
    cum_value: np.ndarray
    cum_cost: np.ndarray


def cash_flows(
    sh: Sheet, report: Report, sites: list[SiteRows], horizon: int
) -> ProgrammeRows | None:
    """Write the sheet; returns the programme's rows when there are several sites."""
    sh.heading(
        0,
        "Cash flows by site and year",
        "Linked to each site's sheet (change an input there and these follow). Discounted "
        "value applies each outcome's own discount schedule. The 90% band of the cumulative "
        "net position comes from the Monte Carlo draws (values). Money in "
        f"{report.currency} at FY {financial_year(report.price_year)} prices.",
    )
    heads = ["Site", "Year", *(h for _, h in _LINKED)]
    heads += [
        "Cumulative cost, discounted",
        "Cumulative value, discounted",
        "Cumulative net position",
        "Paid back (1 from the payback year)",
        "Cumulative net, 5th percentile",
        "Cumulative net, 95th percentile",
    ]
    sh.header(_HEADER, heads)
    row = _HEADER + 1
    r = report.results
    starts = []
    for site in sites:
        starts.append(row)
        band = None
        if r.yearly is not None:
            band = np.percentile(r.yearly[site.scenario.id], [5.0, 95.0], axis=0)
        link = sheet_ref(site.title)
        for y in range(horizon):
            sh.text(row, 0, site.scenario.name)
            sh.number(row, 1, y, "year")
            for j, (key, _) in enumerate(_LINKED):
                cell = f"={link}{ref(site.rows[key], YEAR0 + y)}"
                sh.formula(row, _FIRST_LINKED + j, cell, float(site.values[key][y]), "money")
            _cumulative(sh, row, y, site.values["cum_cost"][y], site.values["cum_value"][y])
            if band is not None and y < band.shape[1]:
                sh.number(row, _CUM + 4, float(band[0][y]), "money")
                sh.number(row, _CUM + 5, float(band[1][y]), "money")
            row += 1
    programme = None
    if len(sites) > 1:
        first = row
        cum_value = np.cumsum(sum(s.values["value_discounted"] for s in sites))
        cum_cost = np.cumsum(sum(s.values["cost_discounted"] for s in sites))
        band = None
        if r.yearly is not None:
            band = np.percentile(r.yearly[PROGRAMME], [5.0, 95.0], axis=0)
        for y in range(horizon):
            sh.text(row, 0, "Programme")
            sh.number(row, 1, y, "year")
            for j, (key, _) in enumerate(_LINKED):
                col = _FIRST_LINKED + j
                cells = "+".join(ref(start + y, col) for start in starts)
                value = float(sum(s.values[key][y] for s in sites))
                sh.formula(row, col, f"={cells}", value, "money", bold=True)
            _cumulative(sh, row, y, cum_cost[y], cum_value[y])
            if band is not None and y < band.shape[1]:
                sh.number(row, _CUM + 4, float(band[0][y]), "money")
                sh.number(row, _CUM + 5, float(band[1][y]), "money")
            row += 1
        programme = ProgrammeRows(first, row - 1, _CUM + 3, cum_value, cum_cost)
    ws = sh.ws
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 6)
    ws.set_column(2, _CUM + 5, 14)
    ws.set_row(_HEADER, 48)
    ws.freeze_panes(_HEADER + 1, 2)
    ws.autofilter(_HEADER, 0, row - 1, _CUM + 5)
    sh.print_setup(row - 1, _CUM + 5, (_HEADER, _HEADER))
    return programme


def _cumulative(sh: Sheet, row: int, y: int, cum_cost: float, cum_value: float) -> None:
    """Running sums of discounted cost and value, their difference and payback."""
    cost_d = _FIRST_LINKED + len(_LINKED) - 2
    for offset, source, value in ((0, cost_d, cum_cost), (1, cost_d + 1, cum_value)):
        col = _CUM + offset
        here = ref(row, source)
        formula = f"={here}" if y == 0 else f"={ref(row - 1, col)}+{here}"
        sh.formula(row, col, formula, float(value), "money")
    c_cost, c_value = ref(row, _CUM), ref(row, _CUM + 1)
    sh.formula(row, _CUM + 2, f"={c_value}-{c_cost}", float(cum_value - cum_cost), "money")
    paid = 1.0 if cum_value >= cum_cost else 0.0
    sh.formula(row, _CUM + 3, f"=IF({c_value}>={c_cost},1,0)", paid, "year")
