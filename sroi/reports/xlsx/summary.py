"""The Summary sheet (every result per site and for the programme, live,
then the run's headline table with its 90% ranges) and the Manifest sheet
(what produced the run)."""

from __future__ import annotations

import math

from sroi.prices import financial_year
from sroi.reports import headline
from sroi.reports.report import Report
from sroi.reports.xlsx._cells import Kind, Sheet, finite, ref, sheet_ref
from sroi.reports.xlsx.cash_flows import ProgrammeRows
from sroi.reports.xlsx.site import SiteRows
from sroi.reports.xlsx.site_results import (
    RATIOS,
    kind_of,
    metric_heading,
    payback_formula,
    payback_value,
    ratio_formula,
    ratio_value,
)
from sroi.vocabulary import PROGRAMME, additive_metrics, metric_names

_HEADER = 3


def summary(
    sh: Sheet, report: Report, sites: list[SiteRows], programme: ProgrammeRows | None
) -> None:
    """Write the Summary sheet."""
    currency = report.currency
    expect = (
        "; what to expect across the draws, which the report leads with, is on the Headline sheet"
        if report.results.draws
        else ""
    )
    sh.heading(
        0,
        report.title,
        "These first rows are the base case (modal inputs: every input at its central "
        f"value){expect}. Money in {currency} at FY {financial_year(report.price_year)} "
        "prices. Live: each site's column reads the results at the foot of its sheet; change "
        "a blue input there and these follow. The programme adds the sites up and recomputes "
        f"its ratios and payback.{_years_note(report, sites)}",
        wrap=(1, 52 + 36),  # columns A and B, set below
    )
    sh.text(
        _HEADER - 1,
        0,
        "Base case (modal inputs), live"
        + (": not the headline, which is on the Headline sheet" if report.results.draws else ""),
        sh.fmt.get(bold=True),
    )
    names = [s.scenario.name for s in sites] + (["Programme"] if programme else [])
    sh.header(_HEADER, ["Result", "Metric", *names])
    last_col = 1 + len(names)
    rows: dict[str, int] = {}
    additive = set(additive_metrics())
    for i, key in enumerate(metric_names()):
        row = _HEADER + 1 + i
        rows[key] = row
        kind = kind_of(key)
        bold = key in ("sroi_ratio", "public_roi", "cashable_roi", "npv", "payback_year")
        sh.text(row, 0, metric_heading(key, currency), sh.fmt.get(bold=bold) if bold else None)
        sh.text(row, 1, key, sh.fmt.get(muted=True))
        for j, site in enumerate(sites):
            cell, cached = site.results[key]
            sh.formula(row, 2 + j, f"={sheet_ref(site.title)}{cell}", cached, kind, bold=bold)
        if programme is None:
            continue
        col = 2 + len(sites)
        values = [site.results[key][1] for site in sites]
        value: float | str
        if key in additive:
            formula = f"=SUM({ref(row, 2)}:{ref(row, col - 1)})"
            value = float(sum(v for v in values if isinstance(v, float)))
        elif key in RATIOS:
            top, bottom = RATIOS[key]
            formula = ratio_formula(ref(rows[top], col), ref(rows[bottom], col))
            value = ratio_value(_total(sites, top), _total(sites, bottom))
        elif key == "payback_year":
            col_p = programme.paid_back_col
            first = ref(programme.first, col_p, fix_row=True, fix_col=True)
            last = ref(programme.last, col_p, fix_row=True, fix_col=True)
            formula = payback_formula(f"'Cash flows'!{first}:{last}")
            value = payback_value(programme.cum_value, programme.cum_cost)
        else:
            raise ValueError(f"the programme has no formula for the metric {key!r}")
        sh.formula(row, col, formula, value, kind, bold=bold)
    row = _cautions(sh, report, _HEADER + len(metric_names()) + 3)
    ws = sh.ws
    ws.set_column(0, 0, 52)
    ws.set_column(1, 1, 36)  # the longest metric key, value_pv_by_payer.central_government
    ws.set_column(2, last_col, 17)
    ws.set_row(_HEADER, 60)
    ws.freeze_panes(_HEADER + 1, 2)
    sh.print_setup(row, last_col, (_HEADER, _HEADER))


def headline_sheet(sh: Sheet, report: Report) -> None:
    """Write the Headline sheet: the run's headline table, on a sheet of its
    own so that its columns (five per site) are never read under the
    Summary's frozen header of one column per site."""
    sh.heading(
        0,
        f"{report.title}: headline results",
        "What to expect across the draws, as the report leads with it: the expected "
        "value, the median and 90% range of the draws, and the base case (modal inputs) "
        f"last. Money in {report.currency} at FY {financial_year(report.price_year)} prices. "
        "Values, not formulas: the live base case is on the Summary sheet.",
        wrap=(1, 52 + 12),
    )
    last = _headline(sh, report, _HEADER - 1)
    widest = 1 + len(_STATS) * len(headline.columns(report.results))
    ws = sh.ws
    ws.set_column(0, 0, 52)
    ws.set_column(1, 1, 2)
    ws.set_column(2, widest, 17)
    ws.freeze_panes(_HEADER + 1, 2)
    # Five columns a site: the pages across repeat the result names.
    sh.print_setup(last, widest, (_HEADER, _HEADER), repeat_cols=(0, 1))


def _years_note(report: Report, sites: list[SiteRows]) -> str:
    """Over how many delivery years each column's counts, costs and values
    total (the column names stay the scenarios' names, which readers of
    the sheet look them up by)."""
    parts = [
        f"{s.scenario.name}, {years}"
        for s in sites
        if (years := headline.column_years(report.results, s.scenario.id))
    ]
    if not parts:
        return ""
    if len(sites) > 1 and (total := headline.column_years(report.results, PROGRAMME)):
        parts.append(f"the programme, {total}")
    return (
        " Women supported, costs and values are totals over the delivery years, not a "
        f"year's: {'; '.join(parts)}."
    )


def _total(sites: list[SiteRows], key: str) -> float:
    return float(sum(v for s in sites if isinstance(v := s.results[key][1], float)))


#: The columns of the headline table per site, in order.
_STATS = ("expected", "median", "5th percentile", "95th percentile", "modal inputs (base case)")


def _headline(sh: Sheet, report: Report, row: int) -> int:
    """The run's headline table (values): the expected value across draws first,
    then the median and 90% range of the draws, and the base case (modal
    inputs) last, as in the report."""
    r = report.results
    sh.text(row, 0, "Headline results of the run (values, not formulas)", sh.fmt.get(bold=True))
    row += 1
    cols = headline.columns(r)
    heads = ["Metric", ""]
    for _, head in cols:
        heads += [f"{head}: {what}" for what in _STATS]
    sh.header(row, heads)
    sh.ws.set_row(row, 45)
    kinds: dict[str, Kind] = {
        "money": "money",
        "ratio": "ratio",
        "share": "chance",
        "count": "count",
        "whole": "hours",
    }
    for line in headline.lines(report.currency):
        row += 1
        sh.text(row, 0, ("    " if line.indent else "") + line.label)
        for j, (name, _) in enumerate(cols):
            stat = headline.stat(r, line.metric, name)
            shown = (stat.expected, stat.median, stat.p5, stat.p95, stat.base)
            if line.kind == "share":  # a chance across the draws: no base case, no range
                shown = (stat.expected, math.nan, math.nan, math.nan, math.nan)
            for k, x in enumerate(shown if r.draws else (math.nan,) * 4 + (stat.base,)):
                sh.number(row, 2 + len(_STATS) * j + k, finite(x), kinds[line.kind])
    return row


def _cautions(sh: Sheet, report: Report, row: int) -> int:
    """What to check before trusting each site's results
    (:attr:`~sroi.reports.report.Report.cautions`), one per row under a
    heading; nothing when there is none.  Returns the last row written."""
    found = [
        (scenario.name, caution.sentence)
        for scenario in report.results.loaded
        for caution in report.cautions.get(scenario.id, ())
    ]
    if not found:
        return row - 2
    sh.text(row, 0, "Check before trusting these results", sh.fmt.get(bold=True))
    for name, sentence in found:
        row += 1
        sh.text(row, 0, f"{name}: {sentence}")
    return row


def manifest(sh: Sheet, report: Report) -> None:
    """What produced the run: version, seed, draws and each scenario file."""
    m = report.manifest
    row = 0
    bold = sh.fmt.get(bold=True)
    for label, text in m.items():
        sh.text(row, 0, label, bold)
        sh.text(row, 1, str(text))
        row += 1
    row += 1
    sh.header(row, ["Scenario id", "Name", "File", "SHA-256", "Currency", "Results at price year"])
    for s in m.scenarios:
        row += 1
        for col, value in enumerate((s.id, s.name, s.file, s.sha256, s.currency), 0):
            sh.text(row, col, None if value is None else str(value))
        sh.number(row, 5, s.price_year, "year")
    if m.extended:
        row += 2
        sh.header(row, ["File the scenarios extend", "", "", "SHA-256", "Extended by"])
        for file, digest, ids in m.extended:
            row += 1
            sh.text(row, 0, file)
            sh.text(row, 3, digest)
            sh.text(row, 4, ", ".join(ids))
    for col, width in enumerate((20, 50, 50, 66, 9, 10)):
        sh.ws.set_column(col, col, width)
    sh.print_setup(row, 5, (0, 0))
