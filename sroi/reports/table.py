"""Plain-text tables of a run, per site and for the programme."""

from __future__ import annotations

import math
from collections.abc import Callable

from sroi.results.results import Results
from sroi.vocabulary import PAYERS, PROGRAMME

_PAYER_LABELS = {
    "nhs": "NHS",
    "local_authority": "local authority",
    "central_government": "central government",
    "individual": "individuals",
    "society": "wider society",
}


def _money(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:,.0f}"


def _count(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:,.1f}"


def _ratio(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:.2f}"


def _share(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{100 * x:.0f}%"


def run_table(results: Results) -> str:
    """The run as text: one block per scenario and one for the programme."""
    currencies = sorted({(s.currency, s.price_year) for s in results.scenarios})
    money = ", ".join(f"{c} at {y} prices" for c, y in currencies)
    cur = currencies[0][0] if len(currencies) == 1 else "money"
    head = (
        f"sroi {results.version} | seed {results.seed} | {results.draws:,} draws | "
        f"money in {money}; PV = present value (discounted)"
    )
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

    out = [title, f"  {'':<38}{'base case':>14}{'mean':>14}   90% interval"]
    out.append(row("Women supported [women]", "users", _count))
    out.append(row(f"Unit cost [{cur} per woman]", "unit_cost", _money))
    out.append(row(f"Cost per case averted [{cur} per case]", "cost_per_case_averted", _money))
    out.append(row(f"Cost PV [{cur}]", "cost_pv", _money))
    out.append(row(f"Value PV [{cur}]", "value_pv", _money))
    for payer in PAYERS:
        out.append(row(f"  to {_PAYER_LABELS[payer]}", f"value_pv_by_payer.{payer}", _money))
    out.append(row(f"NPV [{cur}]", "npv", _money))
    out.append(row(f"SROI ratio [{cur} value per {cur} cost]", "sroi_ratio", _ratio))
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
