"""The headline table: per site and for the programme, the expected value
across draws (the ratio of means for a return, the mean otherwise) with its
median and 90% interval (5th to 95th percentile of the draws), then the base
case as "modal inputs"; the social, public-sector and cashable returns with
the chance each exceeds 1, and the net present value of the run's perspective.

Used by the HTML report, the workbook's Summary sheet and ``Results._repr_html_``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from sroi.prices import financial_year
from sroi.reports import style
from sroi.reports.templating import render
from sroi.results.results import Results
from sroi.text import draws_count
from sroi.vocabulary import METRICS, PAYERS, PERSPECTIVES, PROGRAMME, SIDE_BY_SIDE


@dataclass(frozen=True)
class Stat:
    """One metric of one scenario: base case, mean, and 90% interval of the draws
    (NaN when there were no draws or the metric is undefined); ``expected``
    is what to lead with (:meth:`~sroi.results.Results.expected`: the ratio
    of means for a ratio, else the mean) and ``median`` the draws' median."""

    base: float
    mean: float
    p5: float
    p95: float
    expected: float = math.nan
    median: float = math.nan


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


def lines(currency: str = "GBP", perspective: str = "society") -> list[Line]:
    """The rows of the headline table, in order: the caseload and costs (the
    cost PV and, below it, the cash cost PV), the value by payer, the three
    returns each with the chance it exceeds 1, and the net present value of
    ``perspective``."""
    s = style.symbol(currency).strip()
    out = [_metric("users", s, "whole")]
    out += [_metric(m, s) for m in ("cases_averted", "unit_cost", "cost_per_case_averted")]
    # The cash cost is the cost the public-sector and cashable returns divide
    # by (docs/methodology.md §6), headed as `sroi run` heads it.
    out += [_metric("cost_pv", s)]
    out += [Line(f"of which cash [{s}]", "cash_cost_pv", "money", indent=True)]
    out += [_metric("value_pv", s)]
    out += [
        Line(f"to {p.phrase}", f"value_pv_by_payer.{p.id}", "money", indent=True)
        for p in PAYERS.values()
    ]
    for pid in SIDE_BY_SIDE:
        p = PERSPECTIVES[pid]
        out.append(Line(f"{p.ratio_label} [{s} per {s}1]", p.ratio_metric, "ratio"))
        out.append(
            Line(
                f"Chance it exceeds {s}1 per {s}1",
                f"prob_ratio_above_1.{pid}",
                "share",
                indent=True,
            )
        )
    own = PERSPECTIVES[perspective]
    out.append(Line(f"Net present value, {own.phrase} perspective [{s}]", own.net_metric, "money"))
    return out


def _perspective_of(metric: str) -> tuple[str, str] | None:
    """``(perspective, "ratio" or "net")`` when ``metric`` is a perspective's
    return or net value, else None."""
    for p in PERSPECTIVES.values():
        if metric == p.ratio_metric:
            return p.id, "ratio"
        if metric == p.net_metric:
            return p.id, "net"
    return None


def stat(results: Results, metric: str, name: str = PROGRAMME) -> Stat:
    """Base case, mean and 90% interval of one metric of one scenario, and the
    number to lead with (:class:`Stat`)."""
    if metric.startswith("prob_ratio_above_1."):
        h = results.headline(name, metric.split(".", 1)[1])
        p = h.prob_ratio_above_1
        return Stat(p, p, math.nan, math.nan, p, math.nan)
    if metric.startswith("prob_"):
        p = results.probabilities(name)[metric]
        return Stat(p, p, math.nan, math.nan, p, math.nan)
    found = _perspective_of(metric)
    if found is not None:
        h = results.headline(name, found[0])
        e = h.ratio if found[1] == "ratio" else h.net
        mean = results.summaries(name).get(metric, {}).get("mean", e.expected)
        return Stat(e.modal, mean, e.p5, e.p95, e.expected, e.median)
    base = results.base_value(metric, name)
    summary = results.summaries(name).get(metric)
    if summary is None:
        return Stat(base, math.nan, math.nan, math.nan)
    lead = results.expected(metric, name)
    return Stat(base, summary["mean"], summary["p5"], summary["p95"], lead, summary["p50"])


def formatter(kind: str, currency: str) -> Callable[[float], str]:
    """How to write a number of this kind."""
    if kind == "money":
        return lambda x: style.money(x, currency)
    if kind == "ratio":
        return style.ratio
    if kind == "share":  # the chance rows
        return style.chance
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


def cell_text(results: Results, line: Line, name: str, currency: str) -> Cell:
    """One cell as text: the expected value, its median and 90% interval, and
    the base case (modal inputs); parts that do not apply are ""."""
    f = formatter(line.kind, currency)
    st = stat(results, line.metric, name)
    if line.kind == "share":
        return Cell(f(st.expected) if results.draws else "–", "", "", "")
    interval = ""
    if math.isfinite(st.p5) and math.isfinite(st.p95):
        interval = f"{f(st.p5)} to {f(st.p95)}"
    if not results.draws:
        return Cell(f(st.base), "", "", "")
    median = f(st.median) if math.isfinite(st.median) else ""
    return Cell(f(st.expected), median, interval, f(st.base))


@dataclass(frozen=True)
class Cell:
    """One cell of the headline table as text ("" where a part does not apply)."""

    #: The expected value across draws, or the base case when there are no draws.
    expected: str
    #: Median of the draws.
    median: str
    #: 5th to 95th percentile of the draws.
    interval: str
    #: The base case, every input at its central value ("" without draws:
    #: ``expected`` is the base case then).
    modal: str


@dataclass(frozen=True)
class TableRow:
    """One row of the headline table as text.

    kind : str
        ``key`` for the rows to stand out (unit cost, the returns), ``sub``
        for a value-by-payer or probability row, else "".
    cells : tuple of Cell
        Per column.
    """

    label: str
    kind: str
    cells: tuple[Cell, ...]


def table_context(results: Results) -> dict[str, object]:
    """The headline table as plain text: ``headings`` of the columns, the
    delivery years of each (``periods``, None when unknown) and ``rows``
    (:class:`TableRow`)."""
    currency = results.scenarios[0].currency if results.scenarios else "GBP"
    cols = columns(results)
    rows = []
    key_rows = {"unit_cost", *(PERSPECTIVES[p].ratio_metric for p in SIDE_BY_SIDE)}
    for line in lines(currency, results.perspective):
        kind = "key" if line.metric in key_rows else "sub" if line.indent else ""
        cells = tuple(cell_text(results, line, name, currency) for name, _ in cols)
        rows.append(TableRow(line.label, kind, cells))
    return {
        "headings": [head for _, head in cols],
        "periods": [column_years(results, name) for name, _ in cols],
        "rows": rows,
    }


def column_years(results: Results, name: str) -> str | None:
    """The delivery years of a column (:func:`sroi.reports.style.delivery_years`):
    a site's, or the programme's sites'; None when the scenarios are unknown."""
    by_id = {s.id: s for s in results.loaded}
    return style.delivery_years([by_id[name]] if name in by_id else list(results.loaded))


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
    money = ", ".join(f"{c} at FY {financial_year(y)} prices" for c, y in currencies)
    if results.draws:
        run = f"{draws_count(results.draws)}, seed {results.seed}; 90%: 5th to 95th percentile"
    else:
        run = "base case only (no draws)"
    caption = (
        f"sroi {results.version}: expected value across draws (a return: mean value / mean "
        f"cost), median, 90% interval and the base case (modal inputs); {run}; "
        f"perspective {results.perspective}; money in {money}"
    )
    table = table_html(results, caption=caption)
    return _NOTEBOOK_CSS + f'<div class="sroi-headline">{table}</div>'
