"""Comparisons of sites and proposals as plain-text tables (``sroi compare``,
``sroi replicate``)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from sroi.reports.manifest import run_line
from sroi.reports.style import PAYER_LABELS
from sroi.vocabulary import PERSPECTIVES

if TYPE_CHECKING:
    import pandas as pd

    from sroi.analysis.compare import Comparison


def _money(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:,.0f}"


def _ratio(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:.2f}"


def _share(x: float) -> str:
    if not math.isfinite(x):
        return "-"
    if 0 < x < 0.005:
        return "<1%"
    if 0.995 < x < 1:
        return ">99%"
    return f"{100 * x:.0f}%"


def _rank(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:g}"


def _interval(lo: float, hi: float, fmt: Callable[[float], str]) -> str:
    return f"{fmt(lo)} to {fmt(hi)}"


def compare_table(c: Comparison) -> str:
    """League table, ranking, pairwise, acceptability and payer tables."""
    cur = c.currency
    league = c.league
    ids = list(league.index)
    w = max(len("scenario"), *(len(i) for i in ids)) + 2
    lines = [
        f"{run_line(c.run)} | money in {cur} at {c.price_year} prices",
        "One run with common random numbers: values marked shared (the treatment effect, "
        "national unit",
        "costs) take the same draw in every scenario, so draw-by-draw comparisons are fair.",
        "90% interval: 5th to 95th percentile of the draws.",
        "",
        "Scenarios:",
    ]
    lines += [f"  {sid:<{w}}{c.names[sid]}" for sid in ids]

    view = PERSPECTIVES[c.perspective]
    name = f"{view.ratio_phrase} ({view.ratio_metric})"
    lines += [
        "",
        f"League table: {view.label.lower()} perspective ({view.definition})",
        f"  ranked by mean rank of the {name};",
        "  expected: mean value / mean cost across draws; NPV: its value minus its cost",
        f"  {'#':>2}  {'scenario':<{w}}{'expected':>9}{'median':>8}  {'90% interval':<14}"
        f"{'NPV [' + cur + ']':>12}{'median':>10}  {'90% interval':<22}",
    ]
    for k, (sid, r) in enumerate(league.iterrows(), 1):
        lines.append(
            f"  {k:>2}  {sid:<{w}}{_ratio(r['ratio_expected']):>9}{_ratio(r['ratio_median']):>8}  "
            f"{_interval(r['ratio_p5'], r['ratio_p95'], _ratio):<14}"
            f"{_money(r['net_mean']):>12}{_money(r['net_median']):>10}  "
            f"{_interval(r['net_p5'], r['net_p95'], _money):<22}"
        )
    lines += [
        "",
        "Costs",
        f"  {'#':>2}  {'scenario':<{w}}{'unit cost':>10}  {'90% interval':<16}"
        f"{'per case averted':>17}  {'90% interval':<18}",
    ]
    for k, (sid, r) in enumerate(league.iterrows(), 1):
        lines.append(
            f"  {k:>2}  {sid:<{w}}{_money(r['unit_cost_mean']):>10}  "
            f"{_interval(r['unit_cost_p5'], r['unit_cost_p95'], _money):<16}"
            f"{_money(r['cost_per_case_averted_mean']):>17}  "
            f"{_interval(r['cost_per_case_averted_p5'], r['cost_per_case_averted_p95'], _money)}"
        )
    lines.append(f"  [{cur} per woman supported; {cur} per case of perinatal depression averted]")

    ranks = c.ranks
    rank_head = "".join(f"{'P(' + str(r) + ')':>7}" for r in ranks.columns)
    lines += [
        "",
        f"Ranking by {name}, draw by draw (1 = highest)",
        f"  {'#':>2}  {'scenario':<{w}}{'P(best)':>8}{'mean rank':>11}  {'90% interval':<13}"
        f"{rank_head}",
    ]
    for k, (sid, r) in enumerate(league.iterrows(), 1):
        probs = "".join(f"{_share(p):>7}" for p in ranks.loc[sid])
        lines.append(
            f"  {k:>2}  {sid:<{w}}{_share(r['prob_best']):>8}{r['mean_rank']:>11.1f}  "
            f"{_interval(r['rank_p5'], r['rank_p95'], _rank):<13}{probs}"
        )
    lines.append("  P(r): probability of rank r; ties share their ranks.")

    if len(ids) > 1:
        cw = max(8, *(len(i) + 2 for i in ids))
        lines += [
            "",
            f"P(row beats column): share of draws where the row's {view.ratio_metric} is higher",
            f"  {'':<{w}}" + "".join(f"{i:>{cw}}" for i in ids),
        ]
        for a in ids:
            cells = "".join(
                f"{'':>{cw}}" if a == b else f"{_share(c.pairwise.loc[a, b]):>{cw}}" for b in ids
            )
            lines.append(f"  {a:<{w}}{cells}")

    cw = max(8, *(len(i) + 2 for i in ids))
    lines += [
        "",
        f"Acceptability: P({view.ratio_metric} >= threshold)",
        f"  {'threshold':<{w}}" + "".join(f"{i:>{cw}}" for i in ids),
    ]
    for t in c.thresholds:
        cells = "".join(f"{_share(c.acceptability.loc[t, sid]):>{cw}}" for sid in ids)
        lines.append(f"  {t:<{w}g}{cells}")

    if len(c.payers):
        span = "every year" if c.by_year is None else f"years 0-{c.by_year}"
        lines += [
            "",
            f"Payers: P(discounted value to the payer over {span} > its contribution)",
        ]
        pw = max(len("payer"), *(len(PAYER_LABELS.get(p, p)) for p in c.contributions)) + 2
        lines.append(
            f"  {'scenario':<{w}}{'payer':<{pw}}{'contribution':>13}{'P(recovered)':>14}"
            f"{'mean value':>12}  90% interval"
        )
        for r in c.payers.itertuples():
            lines.append(
                f"  {r.scenario:<{w}}{PAYER_LABELS.get(r.payer, r.payer):<{pw}}"
                f"{_money(r.contribution):>13}{_share(r.prob_recovered):>14}"
                f"{_money(r.value_mean):>12}  {_interval(r.value_p5, r.value_p95, _money)}"
            )
        lines.append(
            f"  [{cur}; year 0 is the first delivery year; the contribution is taken as paid "
            "in year 0, undiscounted]"
        )
    return "\n".join(line.rstrip() for line in lines) + "\n"


def pilots_table(frame: pd.DataFrame, currency: str, price_year: int, draws: int) -> str:
    """A proposal's unit cost and SROI ratio next to the pilot sites
    (``frame`` from :func:`sroi.analysis.pilots.compare_with_pilots`)."""
    ids = list(frame.index)
    names = [
        str(frame.loc[i, "name"]).split(" (")[0]
        + (" (your proposal)" if frame.loc[i, "proposal"] else "")
        for i in ids
    ]
    w = max(len(n) for n in names) + 2
    lines = [
        f"Your proposal next to the four pilot sites ({draws:,} draws; {currency} at "
        f"{price_year} prices)",
        "",
        f"  {'':<{w}}{'unit cost [' + currency + ' per woman]':<30}"
        f"{'SROI ratio [' + currency + ' per ' + currency + ']':<26}{'P(SROI >= 1)':>12}",
        f"  {'':<{w}}{'mean':>8}  {'90% interval':<20}{'expected':>8}  {'90% interval':<16}",
    ]
    for name, (_, r) in zip(names, frame.iterrows(), strict=True):
        lines.append(
            f"  {name:<{w}}{_money(r['unit_cost_mean']):>8}  "
            f"{_interval(r['unit_cost_p5'], r['unit_cost_p95'], _money):<20}"
            f"{_ratio(r['sroi_ratio_expected']):>8}  "
            f"{_interval(r['sroi_ratio_p5'], r['sroi_ratio_p95'], _ratio):<16}"
            f"{_share(r['prob_sroi_at_least_1']):>12}"
        )
    lines += [
        "",
        "Unit cost: total cost per woman supported. SROI ratio: present value of the benefits "
        "per pound",
        "spent (above 1: benefits exceed costs); expected: mean benefits / mean cost over the "
        "simulated",
        "outcomes. 90% interval: the middle 90% of the simulated outcomes.",
        "All five are run together, with the same draws for the shared evidence (the "
        "effect of befriending,",
        "national unit costs), so differences come from local answers and site figures.",
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"
