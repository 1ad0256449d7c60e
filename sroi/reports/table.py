"""Plain-text tables of a run, per site and for the programme."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable

from sroi.prices import financial_year
from sroi.reports import style
from sroi.reports.columns import Column, TextTable
from sroi.reports.manifest import fixed_precision_note, run_line
from sroi.results.cautions import scenario_cautions
from sroi.results.perspective import Estimate
from sroi.results.results import Results
from sroi.vocabulary import METRICS, PAYERS, PROGRAMME, Format


def _money(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:,.0f}"


def _count(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:,.1f}"


def _ratio(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:.2f}"


def _share(x: float) -> str:
    return "-" if not math.isfinite(x) else style.chance(x)


#: How the table writes each metric format.
_FORMATS: dict[Format, Callable[[float], str]] = {
    "count": _count,
    "hours": _money,
    "money": _money,
    "ratio": _ratio,
    "year": _money,
}


def table_text(x: float, fmt: Format) -> str:
    """A number as ``sroi run``'s table writes a metric of format ``fmt``
    (in the metric's own unit).

    >>> table_text(104.82, "count"), table_text(3019.6, "money")
    ('104.8', '3,020')
    """
    return _FORMATS[fmt](x)


def run_table(results: Results) -> str:
    """The run as text: one block per scenario and one for the programme.

    Each block leads with three returns side by side (social, public-sector,
    cashable), then the metrics, then the run's perspective: its return, net
    value, probabilities and payback.  Every number leads with the expected
    value across draws (the ratio of means for a return, the mean otherwise)
    and the median; the base case, every input at its central value, comes
    last as "modal inputs".
    """
    currencies = sorted({(s.currency, s.price_year) for s in results.scenarios})
    money = ", ".join(f"{c} at FY {financial_year(y)} prices" for c, y in currencies)
    cur = currencies[0][0] if len(currencies) == 1 else "money"
    head = f"{run_line(results.run)} | money in {money}; PV = present value (discounted)"
    table = TextTable(*_COLUMNS)
    table.line(head)
    table.line()
    titles = {s.id: f"{s.name} [{s.id}]" for s in results.scenarios}
    titles[PROGRAMME] = "Programme: all scenarios together"
    # With one scenario the programme is that scenario: its block is not repeated.
    shown = [n for n in results.names if n != PROGRAMME or len(results.scenarios) > 1]
    by_id = {s.id: s for s in results.loaded}
    for name in shown:
        sites = [by_id[name]] if name in by_id else list(results.loaded)
        _block(table, results, name, titles[name], cur, style.delivery_years(sites))
        for caution in scenario_cautions(by_id[name]) if name in by_id else []:
            for line in textwrap.wrap(f"Note: {caution.sentence}", width=96):
                table.line(f"  {line}")
        table.line()
    lines = table.lines()
    years = [
        "year N (payback): the analysis year by whose end the discounted value has caught up",
        "with the discounted cost; year 0 is the first delivery year. Unit cost and cost per",
        "case averted: the undiscounted cost over the women supported or the cases averted.",
    ]
    if results.draws == 0:
        lines.append("Base case only (--draws 0): no intervals or probabilities.")
        lines += years
    else:
        lines += [
            "expected: across the draws (a ratio, such as a return or a unit cost, is the mean",
            "numerator / the mean denominator); median: of the draws; 90% interval: 5th to 95th",
            "percentile of the draws; modal inputs: the base case, every input at its central "
            "value.",
            *years,
        ]
        precision = results.run.precision
        if precision is not None and precision.target is None:
            lines += fixed_precision_note(precision).splitlines()
    return "\n".join(lines).rstrip() + "\n"


#: The columns of every block: label, expected, median, 90% interval, modal
#: inputs and P(> 1), each at least as wide as given [characters].
_COLUMNS = (
    Column(36, gap=2),
    Column(11, ">"),
    Column(11, ">"),
    Column(21, gap=3),
    Column(12, ">"),
    Column(8, ">"),
)


def _estimate_cells(e: Estimate, f: Callable[[float], str]) -> tuple[str, str, str]:
    interval = f"{f(e.p5)} to {f(e.p95)}" if math.isfinite(e.p5) else ""
    return f(e.expected), f(e.median), interval


def _year(x: float) -> str:
    return "never" if not math.isfinite(x) else f"year {x:.0f}"


def _block(
    table: TextTable, results: Results, name: str, title: str, cur: str, years: str | None
) -> None:
    """One scenario's (or the programme's) block, added to ``table``, with
    its delivery years (:func:`sroi.reports.style.delivery_years`) under
    its title when known."""
    stats = results.summaries(name)
    draws = results.draws > 0

    def row(label: str, metric: str, f: Callable[[float], str]) -> None:
        modal = f(results.base_value(metric, name))
        if metric in stats:
            s = stats[metric]
            lead = f(results.expected(metric, name))
            table.row(label, lead, f(s["p50"]), f"{f(s['p5'])} to {f(s['p95'])}", modal)
        else:
            table.row(label, "", "", "", modal)

    def metric_row(metric: str) -> None:
        m = METRICS[metric]
        row(m.heading(cur), metric, _FORMATS[m.format])

    table.line(title)
    if years is not None:
        table.line(f"  {years}: {style.TOTALS_NOTE}")
    table.row(
        f"Returns [{cur} per {cur}]", "expected", "median", "90% interval", "modal inputs", "P(> 1)"
    )
    for h in results.returns(name):
        label = f"{h.perspective.ratio_label} ({h.perspective.ratio_metric})"
        chance = _share(h.prob_ratio_above_1) if draws else ""
        table.row(label, *_estimate_cells(h.ratio, _ratio), _ratio(h.ratio.modal), chance)
    table.line()
    table.row("", "expected", "median", "90% interval", "modal inputs")
    for m in ("users", "unit_cost", "cost_per_case_averted", "cost_pv"):
        metric_row(m)
    row(f"  of which cash [{cur}]", "cash_cost_pv", _money)
    metric_row("value_pv")
    for payer in PAYERS.values():
        row(f"  to {payer.phrase}", f"value_pv_by_payer.{payer.id}", _money)
    table.line()
    h = results.headline(name)
    p = h.perspective
    table.line(f"  {p.label} perspective ({p.ratio_metric}, {p.net_metric}): {p.definition}")
    table.row(f"Return [{cur} per {cur}]", *_estimate_cells(h.ratio, _ratio), _ratio(h.ratio.modal))
    table.row(f"Net present value [{cur}]", *_estimate_cells(h.net, _money), _money(h.net.modal))
    if draws:
        table.row("P(return > 1)", _share(h.prob_ratio_above_1))
        table.row("P(net present value > 0)", _share(h.prob_net_positive))
        table.row(
            "Pays back within the horizon",
            _share(h.prob_payback),
            _year(h.payback_median),
            "",
            _year(h.payback_modal),
        )
    else:
        table.row("Payback", "", "", "", _year(h.payback_modal))
