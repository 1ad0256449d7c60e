"""Comparisons of sites and proposals as plain-text tables (``sroi compare``,
``sroi replicate``)."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

from sroi.prices import financial_year
from sroi.reports import style
from sroi.reports.columns import Column, Spill, TextTable
from sroi.reports.manifest import run_line
from sroi.reports.style import PAYER_LABELS
from sroi.text import draws_count
from sroi.vocabulary import PERSPECTIVES

if TYPE_CHECKING:
    import pandas as pd

    from sroi.analysis.compare import Comparison


def _money(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:,.0f}"


def _ratio(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:.2f}"


def _share(x: float) -> str:
    return "-" if not math.isfinite(x) else style.chance(x)


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
        f"{run_line(c.run)} | money in {cur} at FY {financial_year(c.price_year)} prices",
        "One run with common random numbers: values marked shared (the treatment effect, "
        "national unit",
        "costs) take the same draw in every scenario, so draw-by-draw comparisons are fair.",
        "90% interval: 5th to 95th percentile of the draws.",
        "",
        "Scenarios:",
    ]
    names = TextTable(Column(w, gap=2), Column())
    for sid in ids:
        names.row(sid, c.names[sid])
    lines += names.lines()
    for sid in ids:
        for sentence in c.cautions.get(sid, ()):
            lines += ["  " + line for line in textwrap.wrap(f"Note ({sid}): {sentence}", 94)]

    view = PERSPECTIVES[c.perspective]
    name = f"{view.ratio_phrase} ({view.ratio_metric})"
    lines += [
        "",
        f"League table: {view.phrase} perspective ({view.definition})",
        f"  ranked by mean rank of the {name};",
        "  expected: mean value / mean cost across draws; NPV: its value minus its cost",
    ]
    table = TextTable(
        Column(2, ">", gap=2),
        Column(w, gap=2),
        Column(9, ">"),
        Column(8, ">"),
        Column(14, gap=2),
        Column(12, ">"),
        Column(10, ">"),
        Column(22, gap=2),
    )
    table.row(
        "#",
        "scenario",
        "expected",
        "median",
        "90% interval",
        f"NPV [{cur}]",
        "median",
        "90% interval",
    )
    for k, (sid, r) in enumerate(league.iterrows(), 1):
        table.row(
            str(k),
            str(sid),
            _ratio(r["ratio_expected"]),
            _ratio(r["ratio_median"]),
            _interval(r["ratio_p5"], r["ratio_p95"], _ratio),
            _money(r["net_mean"]),
            _money(r["net_median"]),
            _interval(r["net_p5"], r["net_p95"], _money),
        )
    lines += table.lines()
    for sid, r in league.iterrows():
        if math.isnan(r["ratio_expected"]):
            note = (
                f"{sid}: no cost in any draw, so no {view.ratio_phrase} ('-'); a draw with "
                "value at no cost ranks above every return, one without ranks last"
            )
            lines += textwrap.wrap(note, 100, initial_indent="  ", subsequent_indent="  ")

    lines += ["", "Costs"]
    table = TextTable(
        Column(2, ">", gap=2),
        Column(w, gap=2),
        Column(10, ">"),
        Column(16, gap=2),
        Column(17, ">"),
        Column(gap=2),
    )
    table.row("#", "scenario", "unit cost", "90% interval", "per case averted", "90% interval")
    for k, (sid, r) in enumerate(league.iterrows(), 1):
        table.row(
            str(k),
            str(sid),
            _money(r["unit_cost_expected"]),
            _interval(r["unit_cost_p5"], r["unit_cost_p95"], _money),
            _money(r["cost_per_case_averted_expected"]),
            _interval(r["cost_per_case_averted_p5"], r["cost_per_case_averted_p95"], _money),
        )
    table.line(
        f"  [{cur} per woman supported; {cur} per case of perinatal depression averted; "
        "expected: mean cost / mean count]"
    )
    lines += table.lines()

    ranks = c.ranks
    lines += ["", f"Ranking by {name}, draw by draw (1 = highest)"]
    table = TextTable(
        Column(2, ">", gap=2),
        Column(w, gap=2),
        Column(8, ">"),
        Column(11, ">"),
        Column(13, gap=2),
        *(Column(7, ">") for _ in ranks.columns),
    )
    table.row(
        "#",
        "scenario",
        "P(best)",
        "mean rank",
        "90% interval",
        *(f"P({r})" for r in ranks.columns),
    )
    for k, (sid, r) in enumerate(league.iterrows(), 1):
        table.row(
            str(k),
            str(sid),
            _share(r["prob_best"]),
            f"{r['mean_rank']:.1f}",
            _interval(r["rank_p5"], r["rank_p95"], _rank),
            *(_share(p) for p in ranks.loc[sid]),
        )
    table.line("  P(r): probability of rank r; ties share their ranks.")
    lines += table.lines()

    cw = max(8, *(len(i) + 2 for i in ids))
    if len(ids) > 1:
        lines += [
            "",
            f"P(row beats column): share of draws where the row's {view.ratio_metric} is higher",
        ]
        table = TextTable(Column(w, gap=2), *(Column(cw, ">") for _ in ids))
        table.row("", *ids)
        for a in ids:
            table.row(a, *("" if a == b else _share(c.pairwise.loc[a, b]) for b in ids))
        lines += table.lines()

    lines += ["", f"Acceptability: P({view.ratio_metric} >= threshold)"]
    table = TextTable(Column(w, gap=2), *(Column(cw, ">") for _ in ids))
    table.row("threshold", *ids)
    for t in c.thresholds:
        table.row(f"{t:g}", *(_share(c.acceptability.loc[t, sid]) for sid in ids))
    lines += table.lines()

    if len(c.payers):
        span = "every year" if c.by_year is None else f"years 0-{c.by_year}"
        lines += [
            "",
            f"Payers: P(discounted value to the payer over {span} > its contribution)",
        ]
        pw = max(len("payer"), *(len(PAYER_LABELS.get(p, p)) for p in c.contributions)) + 2
        table = TextTable(
            Column(w, gap=2),
            Column(pw),
            Column(13, ">"),
            Column(14, ">"),
            Column(12, ">"),
            Column(gap=2),
        )
        table.row("scenario", "payer", "contribution", "P(recovered)", "mean value", "90% interval")
        for r in c.payers.itertuples():
            table.row(
                str(r.scenario),
                PAYER_LABELS.get(str(r.payer), str(r.payer)),
                _money(r.contribution),
                _share(r.prob_recovered),
                _money(r.value_mean),
                _interval(r.value_p5, r.value_p95, _money),
            )
        table.line(
            f"  [{cur} at FY {financial_year(c.price_year)} prices (--price-year to read "
            "another year's); year 0 is the first delivery year; the contribution is taken as "
            "paid in year 0, undiscounted]"
        )
        lines += table.lines()
    return "\n".join(line.rstrip() for line in lines) + "\n"


def pilots_table(frame: pd.DataFrame, currency: str, price_year: int, draws: int) -> str:
    """A proposal's unit cost and SROI ratio next to the pilot sites
    (``frame`` from :func:`sroi.analysis.pilots.compare_with_pilots`)."""
    ids = list(frame.index)
    names = [
        style.plain_name(str(frame.loc[i, "name"]))
        + (" (your proposal)" if frame.loc[i, "proposal"] else "")
        for i in ids
    ]
    w = max(len(n) for n in names) + 2
    table = TextTable(
        Column(w, gap=2),
        Column(8, ">"),
        Column(20, gap=2),
        Column(8, ">"),
        Column(16, gap=2),
        Column(12, ">"),
    )
    # Each heading spans its figure and its interval.
    table.row(
        "",
        Spill(f"unit cost [{currency} per woman]"),
        "",
        Spill(f"SROI ratio [{currency} per {currency}]"),
        "",
        "P(SROI >= 1)",
    )
    table.row("", "expected", "90% interval", "expected", "90% interval")
    for name, (_, r) in zip(names, frame.iterrows(), strict=True):
        table.row(
            name,
            _money(r["unit_cost_expected"]),
            _interval(r["unit_cost_p5"], r["unit_cost_p95"], _money),
            _ratio(r["sroi_ratio_expected"]),
            _interval(r["sroi_ratio_p5"], r["sroi_ratio_p95"], _ratio),
            _share(r["prob_sroi_at_least_1"]),
        )
    lines = [
        f"Your proposal next to the four pilot sites ({draws_count(draws)}; {currency} at "
        f"FY {financial_year(price_year)} prices)",
        "",
        *table.lines(),
    ]
    lines += [
        "",
        "Unit cost: total cost per woman supported. SROI ratio: present value of the benefits "
        "per pound",
        "spent (above 1: benefits exceed costs); expected: mean cost / mean women and mean "
        "benefits / mean cost",
        "over the simulated outcomes. 90% interval: the middle 90% of the simulated outcomes.",
        "P(SROI >= 1): the share of simulated outcomes whose benefits at least match the cost "
        "(sroi run's",
        "P(> 1) counts only those above 1).",
        "All five are run together, with the same draws for the shared evidence (the "
        "effect of befriending,",
        "national unit costs), so differences come from local answers and site figures.",
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"
