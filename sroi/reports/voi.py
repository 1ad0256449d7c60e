"""Value of information as a plain-text table (``sroi sensitivity --method voi``)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

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


def voi_table(frame: pd.DataFrame) -> str:
    """EVPI per decision, then EVPPI by group and by single value.

    ``frame`` is :meth:`sroi.analysis.voi.VoiResult.frame`.
    """
    a = frame.attrs
    cur = a["currency"]
    decisions = [row["scenario"] for row in a["evpi"]]
    width = max(len("decision"), *(len(d) for d in decisions)) + 2
    view = PERSPECTIVES[a.get("perspective", "society")]
    lines = [
        "Value of information: commission the service or not "
        f"(net benefit = {view.net_metric}, {view.label.lower()} perspective; "
        "not commissioning = 0)",
        f"{a['draws']:,} draws | seed {a['seed']} | money in {cur} at {a['price_year']} prices",
        "",
        "EVPI: the most that perfect information on every uncertain value is worth to this "
        "decision",
        f"  {'':<{width}}{'decision':<20}{'mean NPV':>12}{'P(NPV > 0)':>12}"
        f"{'EVPI':>10}{'(se)':>8}{'per woman':>11}",
    ]
    for row in a["evpi"]:
        lines.append(
            f"  {row['scenario']:<{width}}{row['decision']:<20}{_money(row['mean_npv']):>12}"
            f"{_share(row['prob_npv_positive']):>12}{_money(row['evpi']):>10}"
            f"{'(' + _money(row['evpi_se']) + ')':>8}{_money(row['evpi_per_woman']):>11}"
        )
    lines.append(
        f"  [{cur}; se: Monte Carlo standard error; per woman = EVPI / mean women supported]"
    )

    cell = 16
    header = "".join(f"{d[: cell - 1]:>{cell}}" for d in decisions)
    groups = frame[frame["kind"] == "group"]
    if len(groups):
        names = list(dict.fromkeys(groups["name"]))
        gw = max(len("group"), *(len(n) for n in names)) + 2
        lines += ["", f"EVPPI of groups of values [{cur}] (share of EVPI)", f"  {'':<{gw}}{header}"]
        for name in sorted(names, key=lambda n: -float(groups[groups["name"] == n]["evppi"].max())):
            cells = []
            for d in decisions:
                hit = groups[(groups["name"] == name) & (groups["scenario"] == d)]
                cells.append(
                    "n/a"
                    if hit.empty
                    else _cell(hit["evppi"].iloc[0], hit["share_of_evpi"].iloc[0])
                )
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
        for name in shown:
            cells = []
            for d in decisions:
                hit = values[(values["name"] == name) & (values["scenario"] == d)]
                cells.append(
                    "n/a"
                    if hit.empty
                    else _cell(hit["evppi"].iloc[0], hit["share_of_evpi"].iloc[0])
                )
            lines.append(f"  {name:<{vw}}" + "".join(f"{c:>{cell}}" for c in cells))
        rest = values["name"].nunique() - len(shown)
        if rest > 0:
            lines.append(f"  ... {rest} more values, each with a smaller EVPPI (0 for most)")
    lines += [
        "",
        "EVPI and EVPPI are per decision, for the service as specified; 0 means that knowing "
        "the value(s)",
        "would not change the decision. EVPPI is estimated by regressing NPV on the value(s) "
        "(spline or",
        "polynomial chosen by GCV). Estimates carry Monte Carlo error of the size of EVPI's se "
        "(see --json),",
        "so small differences (a group a little below one of its values) are noise.",
        "n/a: the value is fixed (or absent) in that scenario.",
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"
