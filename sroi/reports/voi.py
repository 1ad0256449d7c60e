"""Value of information as a plain-text table (``sroi sensitivity --method voi``)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sroi.prices import financial_year
from sroi.reports.columns import Column, TextTable
from sroi.text import draws_count
from sroi.vocabulary import PERSPECTIVES

if TYPE_CHECKING:
    import pandas as pd

#: Most single values listed in the EVPPI table [rows].
TOP_VALUES = 12
#: Least width of an EVPPI column, one per decision [characters].
CELL = 16


def _money(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:,.0f}"


def _share(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{100 * x:.0f}%"


def _cell(evppi: float, share: float) -> str:
    if not math.isfinite(evppi):
        return "-"
    if evppi == 0:
        return "0"
    return f"{evppi:,.0f} ({_share(share)})"


def _choice_lines(c: dict[str, Any], cur: str, population: bool) -> list[str]:
    """The choice among the scenarios: each option, then its EVPI."""
    width = max(len("option"), *(len(o["option"]) for o in c["options"])) + 2
    lines = [
        "",
        "Choice among the scenarios as options (or none), draw by draw in one run",
    ]
    table = TextTable(Column(width, gap=2), Column(18, ">"), Column(10, ">"), Column(gap=2))
    table.row("option", "mean net benefit", "P(best)")
    for o in c["options"]:
        mark = "<- chosen today" if o["option"] == c["chosen"] else ""
        table.row(o["option"], _money(o["mean_net_benefit"]), _share(o["prob_best"]), mark)
    lines += table.lines()
    pop = f", population {_money(c['evpi_population'])}" if population else ""
    lines.append(
        f"  EVPI of the choice: {_money(c['evpi'])} (se {_money(c['evpi_se'])}), "
        f"per woman {_money(c['evpi_per_woman'])}{pop} [{cur}]"
    )
    return lines


def _population_evppi(frame: pd.DataFrame, decisions: list[str], cur: str) -> list[str]:
    """EVPPI of each group for the population over the horizon."""
    groups = frame[frame["kind"] == "group"]
    if groups.empty:
        return []
    names = list(dict.fromkeys(groups["name"]))
    gw = max(len("group"), *(len(n) for n in names)) + 2
    lines = ["", f"EVPPI of groups of values for the population [{cur}]"]
    table = _evppi_table(gw, decisions)
    population = _cells(groups, "evppi_population")
    for name in _largest_first(groups, names):
        table.row(
            name,
            *(_money(population[name, d]) if (name, d) in population else "n/a" for d in decisions),
        )
    return lines + table.lines()


def _evppi_table(width: int, decisions: list[str]) -> TextTable:
    """An EVPPI table with its heading: a name, then a column per decision
    (headed by its first :data:`CELL` - 1 characters)."""
    table = TextTable(Column(width, gap=2), *(Column(CELL, ">") for _ in decisions))
    table.row("", *(d[: CELL - 1] for d in decisions))
    return table


def _cells(part: pd.DataFrame, column: str) -> dict[tuple[str, str], float]:
    """``column`` of the first row of each (name, decision) pair of ``part``."""
    out: dict[tuple[str, str], float] = {}
    for name, decision, v in zip(part["name"], part["scenario"], part[column], strict=True):
        out.setdefault((name, decision), float(v))
    return out


def _largest_first(part: pd.DataFrame, names: list[str]) -> list[str]:
    """``names`` by their largest EVPPI over the decisions, largest first
    (ties in the order given)."""
    best = part.groupby("name", sort=False)["evppi"].max()
    return sorted(names, key=lambda n: -float(best[n]))


def voi_table(frame: pd.DataFrame) -> str:
    """EVPI per decision, then EVPPI by group and by single value.

    ``frame`` is :meth:`sroi.analysis.voi.VoiResult.frame`.
    """
    a = frame.attrs
    cur = a["currency"]
    nb = a.get("net_benefit", "NPV")
    women = a.get("population_women")
    decisions = [row["scenario"] for row in a["evpi"]]
    width = max(len("decision"), *(len(d) for d in decisions)) + 2
    view = PERSPECTIVES[a.get("perspective", "society")]
    lines = [
        "Value of information: commission the service or not "
        f"(net benefit = {nb}, {view.phrase} perspective; not commissioning = 0)",
        f"{draws_count(a['draws'])} ({a.get('sampler', 'random')}) | seed {a['seed']} | "
        f"money in {cur} at FY {financial_year(a['price_year'])} prices",
    ]
    if women is not None:
        lines.append(
            f"Population: {a['population']:,g} women a year for {a['horizon']} years = "
            f"{women:,.0f} women once discounted"
        )
    lines += [
        "",
        "EVPI: the most that perfect information on every uncertain value is worth to this "
        "decision",
    ]
    table = TextTable(
        Column(width, gap=2),
        Column(20),
        Column(12, ">"),
        Column(12, ">"),
        Column(10, ">"),
        Column(8, ">"),
        Column(11, ">"),
        Column(13, ">"),
    )
    population_head = ("population",) if women is not None else ()
    table.row(
        "", "decision", "mean NPV", "P(NPV > 0)", "EVPI", "(se)", "per woman", *population_head
    )
    for row in a["evpi"]:
        population_cell = (_money(row["evpi_population"]),) if women is not None else ()
        table.row(
            row["scenario"],
            row["decision"],
            _money(row["mean_npv"]),
            _share(row["prob_npv_positive"]),
            _money(row["evpi"]),
            "(" + _money(row["evpi_se"]) + ")",
            _money(row["evpi_per_woman"]),
            *population_cell,
        )
    lines += table.lines()
    lines.append(
        f"  [{cur}; se: Monte Carlo standard error; per woman = EVPI / mean women supported"
        + ("; population = per woman x women once discounted]" if women is not None else "]")
    )
    if a.get("choice") is not None:
        lines += _choice_lines(a["choice"], cur, women is not None)

    groups = frame[frame["kind"] == "group"]
    if len(groups):
        names = list(dict.fromkeys(groups["name"]))
        gw = max(len("group"), *(len(n) for n in names)) + 2
        lines += ["", f"EVPPI of groups of values [{cur}] (share of EVPI)"]
        table = _evppi_table(gw, decisions)
        evppi, share = _cells(groups, "evppi"), _cells(groups, "share_of_evpi")
        for name in _largest_first(groups, names):
            table.row(
                name,
                *(
                    _cell(evppi[name, d], share[name, d]) if (name, d) in evppi else "n/a"
                    for d in decisions
                ),
            )
        lines += table.lines()

    values = frame[frame["kind"] == "value"]
    positive = values[values["evppi"] > 0]
    if len(positive):
        best = positive.groupby("name")["evppi"].max().sort_values(ascending=False)
        shown = list(best.index[:TOP_VALUES])
        vw = max(len("value"), *(len(n) for n in shown)) + 2
        lines += ["", f"EVPPI of single values [{cur}] (share of EVPI), largest first"]
        table = _evppi_table(vw, decisions)
        evppi, share = _cells(values, "evppi"), _cells(values, "share_of_evpi")
        for name in shown:
            table.row(
                name,
                *(
                    _cell(evppi[name, d], share[name, d]) if (name, d) in evppi else "n/a"
                    for d in decisions
                ),
            )
        lines += table.lines()
        rest = values["name"].nunique() - len(shown)
        if rest > 0:
            lines.append(f"  ... {rest} more values, each with a smaller EVPPI (0 for most)")
    if women is not None:
        lines += _population_evppi(frame, decisions, cur)
    lines += [
        "",
        "EVPI and EVPPI are per decision, for the service as specified (population: for every "
        "decision the",
        "evidence serves); 0 means that knowing the value(s) would not change the decision. "
        "EVPPI is",
        "estimated by regressing the net benefit on the value(s) (spline or polynomial chosen "
        "by GCV).",
        "Estimates carry Monte Carlo error of the size of EVPI's se (see --json), so small "
        "differences",
        "(a group a little below one of its values) are noise.",
        "n/a: the value is fixed (or absent) in that scenario.",
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"
