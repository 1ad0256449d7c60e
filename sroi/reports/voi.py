"""Value of information as a plain-text table (``sroi sensitivity --method voi``)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sroi.vocabulary import PERSPECTIVES

if TYPE_CHECKING:
    import pandas as pd

#: Most single values listed in the EVPPI table [rows].
TOP_VALUES = 12


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
        f"  {'option':<{width}}{'mean net benefit':>18}{'P(best)':>10}",
    ]
    for o in c["options"]:
        mark = "  <- chosen today" if o["option"] == c["chosen"] else ""
        lines.append(
            f"  {o['option']:<{width}}{_money(o['mean_net_benefit']):>18}"
            f"{_share(o['prob_best']):>10}{mark}"
        )
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
    cell = 16
    names = list(dict.fromkeys(groups["name"]))
    gw = max(len("group"), *(len(n) for n in names)) + 2
    header = "".join(f"{d[: cell - 1]:>{cell}}" for d in decisions)
    lines = ["", f"EVPPI of groups of values for the population [{cur}]", f"  {'':<{gw}}{header}"]
    population = _cells(groups, "evppi_population")
    for name in _largest_first(groups, names):
        cells = [
            _money(population[name, d]) if (name, d) in population else "n/a" for d in decisions
        ]
        lines.append(f"  {name:<{gw}}" + "".join(f"{c:>{cell}}" for c in cells))
    return lines


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
        f"(net benefit = {nb}, {view.label.lower()} perspective; not commissioning = 0)",
        f"{a['draws']:,} draws ({a.get('sampler', 'random')}) | seed {a['seed']} | "
        f"money in {cur} at {a['price_year']} prices",
    ]
    if women is not None:
        lines.append(
            f"Population: {a['population']:,g} women a year for {a['horizon']} years = "
            f"{women:,.0f} women once discounted"
        )
    population_head = f"{'population':>13}" if women is not None else ""
    lines += [
        "",
        "EVPI: the most that perfect information on every uncertain value is worth to this "
        "decision",
        f"  {'':<{width}}{'decision':<20}{'mean NPV':>12}{'P(NPV > 0)':>12}"
        f"{'EVPI':>10}{'(se)':>8}{'per woman':>11}{population_head}",
    ]
    for row in a["evpi"]:
        population_cell = f"{_money(row['evpi_population']):>13}" if women is not None else ""
        lines.append(
            f"  {row['scenario']:<{width}}{row['decision']:<20}{_money(row['mean_npv']):>12}"
            f"{_share(row['prob_npv_positive']):>12}{_money(row['evpi']):>10}"
            f"{'(' + _money(row['evpi_se']) + ')':>8}{_money(row['evpi_per_woman']):>11}"
            f"{population_cell}"
        )
    lines.append(
        f"  [{cur}; se: Monte Carlo standard error; per woman = EVPI / mean women supported"
        + ("; population = per woman x women once discounted]" if women is not None else "]")
    )
    if a.get("choice") is not None:
        lines += _choice_lines(a["choice"], cur, women is not None)

    cell = 16
    header = "".join(f"{d[: cell - 1]:>{cell}}" for d in decisions)
    groups = frame[frame["kind"] == "group"]
    if len(groups):
        names = list(dict.fromkeys(groups["name"]))
        gw = max(len("group"), *(len(n) for n in names)) + 2
        lines += ["", f"EVPPI of groups of values [{cur}] (share of EVPI)", f"  {'':<{gw}}{header}"]
        evppi, share = _cells(groups, "evppi"), _cells(groups, "share_of_evpi")
        for name in _largest_first(groups, names):
            cells = [
                _cell(evppi[name, d], share[name, d]) if (name, d) in evppi else "n/a"
                for d in decisions
            ]
            lines.append(f"  {name:<{gw}}" + "".join(f"{c:>{cell}}" for c in cells))

    values = frame[frame["kind"] == "value"]
    positive = values[values["evppi"] > 0]
    if len(positive):
        best = positive.groupby("name")["evppi"].max().sort_values(ascending=False)
        shown = list(best.index[:TOP_VALUES])
        vw = max(len("value"), *(len(n) for n in shown)) + 2
        lines += [
            "",
            f"EVPPI of single values [{cur}] (share of EVPI), largest first",
            f"  {'':<{vw}}{header}",
        ]
        evppi, share = _cells(values, "evppi"), _cells(values, "share_of_evpi")
        for name in shown:
            cells = [
                _cell(evppi[name, d], share[name, d]) if (name, d) in evppi else "n/a"
                for d in decisions
            ]
            lines.append(f"  {name:<{vw}}" + "".join(f"{c:>{cell}}" for c in cells))
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
