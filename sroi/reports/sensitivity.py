"""Sensitivity analyses as plain-text tables and as JSON documents.

Each analysis in :mod:`sroi.analysis` returns a DataFrame whose ``attrs``
say what was computed; :func:`document` turns any of them into a JSON-ready
dict and the ``*_table`` functions into text for the terminal.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from sroi.prices import financial_year
from sroi.reports.columns import Column, TextTable
from sroi.reports.style import number
from sroi.vocabulary import METRICS, PERSPECTIVES, SPLITS

if TYPE_CHECKING:
    import pandas as pd

#: Metric labels and units; ``{c}`` is the currency.  Each perspective's
#: return, net value and payback year that is not a metric is labelled too.
METRIC_LABELS: dict[str, tuple[str, str]] = {
    **{
        n: (label, unit)
        for p in PERSPECTIVES.values()
        for n, label, unit in (
            (p.ratio_metric, p.ratio_label, "{c} per {c}"),
            (p.net_metric, f"net present value, {p.phrase} perspective", "{c}"),
            (p.payback_metric, f"payback year, {p.phrase} perspective", "year"),
        )
    },
    **{m.id: (m.label, m.unit) for m in METRICS.values()},
}
#: How each perspective metric that is not a metric is written.
_PERSPECTIVE_FORMATS = {
    **{p.ratio_metric: "ratio" for p in PERSPECTIVES.values()},
    **{p.net_metric: "money" for p in PERSPECTIVES.values()},
    **{p.payback_metric: "year" for p in PERSPECTIVES.values()},
}
#: Widest a value's name runs in a text table before it is cut [characters];
#: the JSON output (--json) keeps every name whole.
NAME_WIDTH = 60
#: Sobol' rows below this total-order index are summarised, not listed.
SMALL_ST = 0.005


def metric_label(metric: str, currency: str) -> tuple[str, str]:
    """``(label, unit)`` of a metric, e.g. ``("NPV", "GBP")``."""
    if metric in METRIC_LABELS:
        label, unit = METRIC_LABELS[metric]
    else:  # a split metric such as value_pv_by_payer.nhs
        split, key = metric.split(".", 1)
        label, unit = SPLITS[split].label.format(key=key), SPLITS[split].unit
    return label, unit.format(c=currency)


def metric_value(metric: str, x: float) -> str:
    """A metric value: ratios to 3 decimals, counts of people and cases to one,
    money, hours and years whole."""
    if not math.isfinite(x):
        return "–"
    kind = (
        METRICS[metric].format if metric in METRICS else _PERSPECTIVE_FORMATS.get(metric, "money")
    )
    if kind == "ratio":
        return f"{x:.3f}"
    if kind == "count":
        return f"{x:,.1f}"
    return f"{x:,.0f}"


def _clean(x: Any) -> Any:
    """JSON-ready: numpy scalars as Python, non-finite numbers as None."""
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def document(frame: pd.DataFrame) -> dict[str, Any]:
    """A sensitivity result as JSON-ready data: every entry of
    ``frame.attrs``, led by the run header the analysis took from its
    :class:`~sroi.results.run_info.RunInfo` (``sroi_version``, ``method``,
    ``seed``, ``draws``, ``sampler``, ``perspective``, ``currency``,
    ``price_year``, ``files``), then ``rows``, one object per row with the
    frame's columns as keys; non-finite numbers are None."""
    if "sroi_version" not in frame.attrs:
        raise ValueError("the frame carries no run header (attrs from RunInfo.header)")
    rows = [dict(zip(frame.columns, row, strict=True)) for row in frame.itertuples(index=False)]
    return _clean({**frame.attrs, "rows": rows})


def _label(row: Any, several: bool) -> str:
    """A row's value by its readable name (the dotted path when the frame has
    no ``label``), with its scenario when the analysis has several."""
    get = row.get if isinstance(row, dict) else lambda k, d=None: getattr(row, k, d)
    name = str(get("label") or get("path"))
    if len(name) > NAME_WIDTH:  # shorten the outcome or cost line, keep the field
        head, sep, field = name.rpartition(": ")
        if not sep or len(field) > NAME_WIDTH // 2:
            head, field = name, ""
        keep = NAME_WIDTH - len(field) - len(sep) - 1
        name = head[:keep].rstrip() + "…" + (sep + field if field else "")
    return f"{name} [{get('scenario')}]" if several else name


def _money_line(a: dict[str, Any]) -> str:
    """What prices the money of a sensitivity table is at."""
    return (
        f"Money in {a['currency']} at FY {financial_year(a['price_year'])} prices; a value "
        "written at other prices says so in its unit."
    )


def oneway_table(frame: pd.DataFrame) -> str:
    """The one-way analysis as a ranked text table (a tornado in words)."""
    a = frame.attrs
    label, unit = metric_label(a["metric"], a["currency"])
    several = len(a["scenarios"]) > 1
    band = f"{100 * a['band']:g}%"
    lines = [
        f"One-way sensitivity of the {label} [{unit}]: {a['title']}",
        _money_line(a),
        f"Base case {metric_value(a['metric'], a['base'])}. Each value moved alone, the others "
        "at central values:",
        f"uncertain values from their 5th to 95th percentile, fixed values (*) -/+{band} "
        "(clipped to what the field allows).",
        "Ranked by swing = |metric at high - metric at low|.",
        "",
    ]
    names = [_label(r, several) + (" *" if r.kind == "fixed" else "") for r in frame.itertuples()]
    top = float(frame["swing"].max()) if len(frame) else 0.0
    table = TextTable(
        Column(3, ">", gap=2),
        Column(gap=2),
        Column(gap=2),
        Column(10, ">", gap=2),
        Column(10, ">"),
        Column(10, ">"),
        Column(11, ">", gap=2),
        Column(11, ">"),
        Column(11, ">"),
        Column(gap=2),
    )
    table.row("#", "value", "unit", "low", "central", "high", "at low", "at high", "swing")
    m = a["metric"]
    for k, (name, r) in enumerate(zip(names, frame.itertuples(), strict=True), 1):
        bar = "#" * round(20 * r.swing / top) if top > 0 and math.isfinite(r.swing) else ""
        table.row(
            str(k),
            name,
            r.unit,
            number(r.input_low),
            number(r.input_central),
            number(r.input_high),
            metric_value(m, r.metric_low),
            metric_value(m, r.metric_high),
            metric_value(m, r.swing),
            bar,
        )
    lines += table.lines()
    if a["skipped"]:
        lines += ["", "Not moved (fixed at 0, so a relative band does not move them):"]
        lines += [f"  {_label(s, several)}" for s in a["skipped"]]
    lines += ["", "Structural values (delivery years, ramp, lags) are never moved."]
    return "\n".join(lines) + "\n"


def breakeven_table(frame: pd.DataFrame) -> str:
    """Break-even values as a text table: plausible ones first."""
    a = frame.attrs
    label, unit = metric_label(a["target"], a["currency"])
    several = len(a["scenarios"]) > 1
    band = f"{100 * a['band']:g}%"
    target = number(a["value"])
    lines = [
        f"Break-even: {label} = {target} [{unit}]: {a['title']}",
        _money_line(a),
        f"Base case {metric_value(a['target'], a['base'])}. For each value alone (others "
        "central), the value at which the metric reaches the target.",
        "Plausible range: 5th-95th percentile of an uncertain value; central -/+"
        f"{band} of a fixed one (*).",
        "",
    ]
    found = frame[frame["status"] != "none"]
    none = frame[frame["status"] == "none"]
    if len(found):
        names = [
            _label(r, several) + (" *" if r.kind == "fixed" else "") for r in found.itertuples()
        ]
        table = TextTable(
            Column(gap=2),
            Column(gap=2),
            Column(10, ">", gap=2),
            Column(12, ">"),
            Column(9, ">"),
            Column(22, gap=3),
            Column(gap=1),
        )
        table.row("value", "unit", "central", "break-even", "change", "plausible range", "verdict")
        for name, r in zip(names, found.itertuples(), strict=True):
            change = "–" if not math.isfinite(r.change) else f"{100 * r.change:+.0f}%"
            span = f"{number(r.plausible_low)} to {number(r.plausible_high)}"
            verdict = f"{r.status} " + (f"-/+{band}" if r.kind == "fixed" else "90% range")
            table.row(name, r.unit, number(r.central), number(r.breakeven), change, span, verdict)
        lines += table.lines()
    else:
        lines.append("  No value reaches the target on its own.")
    if len(none):
        lines += ["", "No break-even anywhere in the range searched:"]
        table = TextTable(Column(gap=2), Column(gap=2))
        for r in none.itertuples():
            table.row(_label(r, several), f"[{number(r.search_low)}, {number(r.search_high)}]")
        lines += table.lines()
    return "\n".join(lines) + "\n"


def _steady_line(metric: str, level: float) -> str:
    """What a Sobol' table says of a metric that no input moves."""
    if math.isnan(level):
        return "  undefined in every model run, so there is nothing to decompose: no indices"
    return (
        f"  does not vary: every model run gives {metric_value(metric, level)}, so there is "
        "no variance to decompose: no indices"
    )


def sobol_table(frame: pd.DataFrame) -> str:
    """Sobol' indices per metric as text tables, largest total-order first,
    each with the ratio of the Monte Carlo variance to the Sobol' variance."""
    a = frame.attrs
    several = len(a["scenarios"]) > 1
    level = f"{100 * a['confidence']:g}%"
    lines = [
        f"Sobol' indices: {a['title']}",
        f"{a['base_samples']:,} base samples x ({a['groups']} inputs + 2) = "
        f"{a['evaluations']:,} model runs; seed {a['seed']}; {level} intervals from "
        f"{a['bootstrap']} bootstrap resamples.",
        f"Inputs: {a['values']} uncertain values, correlated ones as one group (marked "
        "correlated; its values in --json).",
        "S1: share of the variance the input explains alone; ST: including its interactions.",
    ]
    for warning in a["warnings"]:
        lines += ["", f"WARNING: {warning}."]
    for metric in a["metrics"]:
        part = frame[frame["metric"] == metric]
        shown = part[part["ST"] >= SMALL_ST]
        label, unit = metric_label(metric, a["currency"])
        steady = a.get("constant", {}).get(metric)
        if steady is not None:
            lines += ["", f"{label} [{unit}]", _steady_line(metric, steady)]
            continue
        names = [
            _label(r, several)
            + (f" ({len(r.paths.split(','))} correlated)" if r.correlated else "")
            for r in shown.itertuples()
        ]
        lines += ["", f"{label} [{unit}]"]
        table = TextTable(Column(gap=2), Column(24, gap=2), Column())
        table.row("input", f"S1 [{level} CI]", f"ST [{level} CI]")
        for name, r in zip(names, shown.itertuples(), strict=True):
            s1 = f"{r.S1:.3f} [{r.S1_low:.3f}, {r.S1_high:.3f}]"
            st = f"{r.ST:.3f} [{r.ST_low:.3f}, {r.ST_high:.3f}]"
            table.row(name, s1, st)
        lines += table.lines()
        rest = len(part) - len(shown)
        if rest:
            lines.append(f"  ... {rest} more inputs with ST < {SMALL_ST} (see --json)")
        total = a["sum_s1"][metric]
        lines.append(
            f"  sum of S1: {total:.2f} (1 - sum = {1 - total:.2f}: interactions and noise)"
        )
        lines.append(
            f"  variance: Monte Carlo / Sobol' = {a['variance_ratio'][metric]:.3f} "
            f"({a['mc_draws']:,} draws of sroi run; expected 0.9 to 1.1)"
        )
        if a["dropped"].get(metric):
            lines.append(f"  {a['dropped'][metric]} samples left out: {label} undefined")
    return "\n".join(lines) + "\n"
