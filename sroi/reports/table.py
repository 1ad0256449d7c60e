"""Plain-text tables of a run, per site and for the programme."""

from __future__ import annotations

import math
from collections.abc import Callable

from sroi.reports.manifest import run_line
from sroi.results.results import Results
from sroi.vocabulary import METRICS, PAYERS, PROGRAMME, Format


def _money(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:,.0f}"


def _count(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:,.1f}"


def _ratio(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:.2f}"


def _share(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{100 * x:.0f}%"


#: How the table writes each metric format.
_FORMATS: dict[Format, Callable[[float], str]] = {
    "count": _count,
    "hours": _money,
    "money": _money,
    "ratio": _ratio,
    "year": _money,
}


def run_table(results: Results) -> str:
    """The run as text: one block per scenario and one for the programme."""
    currencies = sorted({(s.currency, s.price_year) for s in results.scenarios})
    money = ", ".join(f"{c} at {y} prices" for c, y in currencies)
    cur = currencies[0][0] if len(currencies) == 1 else "money"
    head = f"{run_line(results.run)} | money in {money}; PV = present value (discounted)"
    lines = [head, ""]
    titles = {s.id: f"{s.name} [{s.id}]" for s in results.scenarios}
    titles[PROGRAMME] = "Programme: all scenarios together"
    for name in results.names:
        lines.extend(_block(results, name, titles[name], cur))
        lines.append("")
    if results.draws == 0:
        lines.append("Base case only (--draws 0): no intervals or probabilities.")
    else:
        lines.append("90% interval: 5th to 95th percentile of the Monte Carlo draws.")
    return "\n".join(lines).rstrip() + "\n"


def _block(results: Results, name: str, title: str, cur: str) -> list[str]:
    stats = results.summaries(name)
    probs = results.probabilities(name)

    def row(label: str, metric: str, f: Callable[[float], str]) -> str:
        base = f(results.base_value(metric, name))
        if metric in stats:
            s = stats[metric]
            mean = f(s["mean"])
            interval = f"{f(s['p5'])} to {f(s['p95'])}"
        else:
            mean, interval = "", ""
        return f"  {label:<38}{base:>14}{mean:>14}   {interval}"

    def metric_row(metric: str) -> str:
        m = METRICS[metric]
        return row(m.heading(cur), metric, _FORMATS[m.format])

    out = [title, f"  {'':<38}{'base case':>14}{'mean':>14}   90% interval"]
    out += [metric_row(m) for m in ("users", "unit_cost", "cost_per_case_averted", "cost_pv")]
    out.append(row(f"  of which cash [{cur}]", "cash_cost_pv", _money))
    out.append(metric_row("value_pv"))
    for payer in PAYERS.values():
        out.append(row(f"  to {payer.phrase}", f"value_pv_by_payer.{payer.id}", _money))
    out += [metric_row("npv"), metric_row("sroi_ratio")]
    out.append(row("Public ROI [public value / cash cost]", "public_roi", _ratio))
    out.append(row("Cashable ROI [cashable / cash cost]", "cashable_roi", _ratio))
    payback = results.base_value("payback_year", name)
    base_payback = "never" if math.isnan(payback) else f"year {payback:.0f}"
    if results.draws:
        out.append(f"  {'P(SROI > 1)':<38}{'':>14}{_share(probs['prob_sroi_above_1']):>14}")
        out.append(f"  {'P(NPV > 0)':<38}{'':>14}{_share(probs['prob_npv_positive']):>14}")
        out.append(
            f"  {'Payback (base case; P(pays back))':<38}{base_payback:>14}"
            f"{_share(probs['prob_payback']):>14}"
        )
    else:
        out.append(f"  {'Payback year (base case)':<38}{base_payback:>14}")
    return out
