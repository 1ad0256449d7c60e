"""The headline table: per site and for the programme, base case with its
90% interval (5th to 95th percentile of the draws) and P(SROI > 1).

Used by the HTML report, the workbook's Summary sheet and ``Results._repr_html_``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from sroi.reports import style
from sroi.reports.templating import render
from sroi.results.results import Results
from sroi.vocabulary import METRICS, PAYERS, PROGRAMME


@dataclass(frozen=True)
class Stat:
    """One metric of one scenario: base case, mean, and 90% interval of the draws
    (NaN when there were no draws or the metric is undefined)."""

    base: float
    mean: float
    p5: float
    p95: float


@dataclass(frozen=True)
class Line:
    """One row of the headline table.

    label : str
        What the row shows, with its unit.
    metric : str
        Metric name in :class:`~sroi.results.Results` (``prob_sroi_above_1`` for
        the probability row).
    kind : str
        ``money``, ``ratio``, ``count``, ``whole`` or ``share``: how to format it.
    indent : bool
        A sub-row (value by payer).
    """

    label: str
    metric: str
    kind: str
    indent: bool = False


def _metric(metric: str, symbol: str, kind: str | None = None) -> Line:
    """A metric's row, headed in full; written by its format unless ``kind`` says."""
    m = METRICS[metric]
    return Line(m.heading(symbol, spelt_out=True), metric, kind or m.format)


def lines(currency: str = "GBP") -> list[Line]:
    """The rows of the headline table, in order."""
    s = style.symbol(currency).strip()
    out = [_metric("users", s, "whole")]
    out += [_metric(m, s) for m in ("cases_averted", "unit_cost", "cost_per_case_averted")]
    out += [_metric("cost_pv", s), _metric("value_pv", s)]
    out += [
        Line(f"to {p.label}", f"value_pv_by_payer.{p.id}", "money", indent=True)
        for p in PAYERS.values()
    ]
    out += [
        _metric("npv", s),
        _metric("sroi_ratio", s),
        Line("Chance the ratio exceeds 1, P(SROI > 1)", "prob_sroi_above_1", "share"),
    ]
    return out


def stat(results: Results, metric: str, name: str = PROGRAMME) -> Stat:
    """Base case, mean and 90% interval of one metric of one scenario."""
    if metric.startswith("prob_"):
        p = results.probabilities(name)[metric]
        return Stat(p, p, math.nan, math.nan)
    base = results.base_value(metric, name)
    summary = results.summaries(name).get(metric)
    if summary is None:
        return Stat(base, math.nan, math.nan, math.nan)
    return Stat(base, summary["mean"], summary["p5"], summary["p95"])


def formatter(kind: str, currency: str) -> Callable[[float], str]:
    """How to write a number of this kind."""
    if kind == "money":
        return lambda x: style.money(x, currency)
    if kind == "ratio":
        return style.ratio
    if kind == "share":
        return style.share
    if kind == "whole":
        return lambda x: "–" if not math.isfinite(x) else f"{x:,.0f}"
    return style.count


def columns(results: Results) -> list[tuple[str, str]]:
    """``(name, heading)`` of the table's columns: each site, then the programme
    when there is more than one site."""
    cols = [(s.id, style.short_name(s.name)) for s in results.scenarios]
    if len(cols) > 1:
        cols.append((PROGRAMME, "Programme (all sites)"))
    return cols


def cell_text(results: Results, line: Line, name: str, currency: str) -> tuple[str, str]:
    """The base-case text of one cell and its interval text (may be empty)."""
    f = formatter(line.kind, currency)
    st = stat(results, line.metric, name)
    if line.kind == "share":
        return (f(st.base) if results.draws else "–"), ""
    interval = ""
    if math.isfinite(st.p5) and math.isfinite(st.p95):
        interval = f"{f(st.p5)} to {f(st.p95)}"
    return f(st.base), interval


@dataclass(frozen=True)
class TableRow:
    """One row of the headline table as text.

    kind : str
        ``key`` for the rows to stand out (unit cost, SROI ratio), ``sub`` for
        a value-by-payer row, else "".
    cells : tuple of (base, interval)
        Per column; the interval text is "" when there is none.
    """

    label: str
    kind: str
    cells: tuple[tuple[str, str], ...]


def table_context(results: Results) -> dict[str, object]:
    """The headline table as plain text: ``headings`` of the columns and
    ``rows`` (:class:`TableRow`)."""
    currency = results.scenarios[0].currency if results.scenarios else "GBP"
    cols = columns(results)
    rows = []
    for line in lines(currency):
        kind = "key" if line.metric in ("sroi_ratio", "unit_cost") else "sub" if line.indent else ""
        cells = tuple(cell_text(results, line, name, currency) for name, _ in cols)
        rows.append(TableRow(line.label, kind, cells))
    return {"headings": [head for _, head in cols], "rows": rows}


def table_html(results: Results, *, caption: str | None = None) -> str:
    """The headline table as an HTML ``<table>`` (class ``headline``)."""
    return render("headline_table.html", table=table_context(results), caption=caption)


_NOTEBOOK_CSS = (
    "<style>.sroi-headline td,.sroi-headline th{text-align:right;padding:2px 8px}"
    ".sroi-headline th[scope=row]{text-align:left}"
    ".sroi-headline .ci{display:block;font-size:85%;color:#555}"
    ".sroi-headline tr.sub th{padding-left:1.5em;font-weight:normal}</style>"
)


def repr_html(results: Results) -> str:
    """A compact headline table for notebooks (``Results._repr_html_``)."""
    currencies = sorted({(s.currency, s.price_year) for s in results.scenarios})
    money = ", ".join(f"{c} at {y} prices" for c, y in currencies)
    if results.draws:
        run = f"{results.draws:,} draws, seed {results.seed}; 90%: 5th to 95th percentile"
    else:
        run = "base case only (no draws)"
    caption = f"sroi {results.version}: base case; {run}; money in {money}"
    table = table_html(results, caption=caption)
    return _NOTEBOOK_CSS + f'<div class="sroi-headline">{table}</div>'
