"""The end of a site's sheet: value by payer and year, discounted cost, the
cumulative position, and every result of the run (named ``result.<metric>``).

The three returns are headed as the report heads them
(:meth:`sroi.vocabulary.Metric.heading`): the social return (value PV / cost
PV), the public-sector return (public value PV / cash cost PV) and the
cashable return (cashable value PV / cash cost PV); the payback year is the
first year whose cumulative discounted value reaches the cumulative
discounted cost.
"""

from __future__ import annotations

import math

import numpy as np

from sroi.reports import style
from sroi.reports.xlsx._cells import NOT_DEFINED, Kind
from sroi.reports.xlsx.site import SiteWriter
from sroi.vocabulary import METRICS, PAYERS, PUBLIC_PAYERS, SPLITS, VALUE_TYPES, metric_names

#: Ratio metrics: (numerator, denominator), undefined unless the denominator is above 0.
RATIOS: dict[str, tuple[str, str]] = {
    m.id: m.ratio_of for m in METRICS.values() if m.ratio_of is not None
}
#: What the payback year shows when value never catches up within the horizon.
NEVER = "not within the horizon"

_KINDS: dict[str, Kind] = {
    "count": "count",
    "hours": "hours",
    "money": "money",
    "ratio": "ratio",
    "year": "year",
}


def kind_of(metric: str) -> Kind:
    """How a metric's value is shown."""
    if metric in METRICS:
        return _KINDS[METRICS[metric].format]
    return _KINDS[SPLITS[metric.split(".")[0]].format]


def ratio_formula(top: str, bottom: str) -> str:
    """``top / bottom`` where ``bottom`` is above 0, else :data:`NOT_DEFINED`."""
    return f'=IF({bottom}>0,{top}/{bottom},"{NOT_DEFINED}")'


def ratio_value(top: float, bottom: float) -> float:
    """The value :func:`ratio_formula` gives (NaN where not defined)."""
    return top / bottom if bottom > 0 else math.nan


def payback_formula(paid_back: str) -> str:
    """The first year (from 0) whose cell in the span ``paid_back`` is 1."""
    return f'=IFERROR(MATCH(1,{paid_back},0)-1,"{NEVER}")'


def payback_value(cum_value: np.ndarray, cum_cost: np.ndarray) -> float | str:
    """The value :func:`payback_formula` gives."""
    reached = np.flatnonzero(cum_value >= cum_cost)
    return float(reached[0]) if reached.size else NEVER


def totals(w: SiteWriter) -> None:
    """Value by payer and year, discounted cost and the cumulative position."""
    w.section("Value by payer, cost and the cumulative position", "By analysis year")
    c, s = w.year_cell, w.s
    out = w.out
    for stage, label in (("value", ""), ("discounted", ", discounted")):
        first = w.row
        for payer in PAYERS:
            ids = [oid for oid, o in s.outcomes.items() if o.payer == payer]
            rows = [out.rows[f"outcome.{oid}.{stage}"] for oid in ids]
            values = np.zeros(w.horizon)
            for oid in ids:
                values = values + out.values[f"outcome.{oid}.{stage}"]
            row = w.yearly(
                f"Value to {PAYERS[payer].phrase}{label}",
                "sum of its outcomes",
                s.currency,
                ["=" + ("+".join(c(r, y) for r in rows) or "0") for y in range(w.horizon)],
                values,
                "money",
            )
            w.keep(f"{stage}.{payer}", row, values)
        total = np.sum([out.values[f"{stage}.{p}"] for p in PAYERS], axis=0)
        key = "value" if stage == "value" else "value_discounted"
        row = w.yearly(
            f"Value{label}",
            "sum of the payers",
            s.currency,
            [f"=SUM({c(first, y)}:{c(first + len(PAYERS) - 1, y)})" for y in range(w.horizon)],
            total,
            "money",
            bold=True,
        )
        w.keep(key, row, total)
    df_row = out.discount_rows["costs"]
    df = out.values["discount.costs"]
    for key, label in (("cost", "Cost, discounted"), ("cash_cost", "Cash cost, discounted")):
        values = out.values[key] * df
        row = w.yearly(
            label,
            f"{key.replace('_', ' ')} × discount.costs",
            s.currency,
            [
                f"={c(out.rows[key], y)}*{w.year_cell(df_row, y, fix_row=True)}"
                for y in range(w.horizon)
            ],
            values,
            "money",
        )
        w.keep(f"{key}_discounted", row, values)
    for key, source, label in (
        ("cum_value", "value_discounted", "Cumulative value, discounted"),
        ("cum_cost", "cost_discounted", "Cumulative cost, discounted"),
    ):
        src = out.rows[source]
        values = np.cumsum(out.values[source])
        row = w.yearly(
            label,
            "running sum",
            s.currency,
            [f"={c(src, 0)}"] + [f"={c(w.row, y - 1)}+{c(src, y)}" for y in range(1, w.horizon)],
            values,
            "money",
            total=False,
        )
        w.keep(key, row, values)
    cv, cc = out.values["cum_value"], out.values["cum_cost"]
    row = w.yearly(
        "Paid back",
        "1 once cumulative value reaches cumulative cost",
        "",
        lambda y: f"=IF({c(out.rows['cum_value'], y)}>={c(out.rows['cum_cost'], y)},1,0)",
        (cv >= cc).astype(float),
        "year",
        total=False,
    )
    w.keep("paid_back", row, (cv >= cc).astype(float))


def results(w: SiteWriter) -> None:
    """Every metric of the run, named ``result.<metric>``."""
    w.section("Results", "Base case, from the rows above")
    s, out = w.s, w.out
    pv = {oid: out.outcomes[oid]["pv"] for oid in s.outcomes}
    got: dict[str, float | str] = {}

    def row_total(key: str) -> tuple[str, float]:
        return f"={w.value_cell(out.rows[key])}", float(np.sum(out.values[key]))

    def outcome_sum(ids: list[str]) -> tuple[str, float]:
        if not ids:
            return "=0", 0.0
        return "=" + "+".join(pv[i][0] for i in ids), float(sum(pv[i][1] for i in ids))

    def n(key: str) -> float:
        v = got[key]
        return v if isinstance(v, float) else math.nan

    splits = [k for k in metric_names() if "." in k]
    formulas: dict[str, str] = {}
    for key in [*splits, *(k for k in metric_names() if k not in splits)]:
        prefix, _, part = key.partition(".")
        value: float | str
        if key in ("referrals", "users", "engaged_users", "cases_averted", "volunteer_hours"):
            formula, value = row_total(key)
        elif key == "cost_total":
            formula, value = row_total("cost")
        elif key in ("cost_pv", "cash_cost_pv"):
            formula, value = row_total(key.replace("_pv", "_discounted"))
        elif prefix == "value_pv_by_payer":
            formula, value = row_total(f"discounted.{part}")
        elif prefix == "value_pv_by_type":
            formula, value = outcome_sum([i for i, o in s.outcomes.items() if o.value_type == part])
        elif key == "value_pv_cashable":
            formula, value = outcome_sum([i for i, o in s.outcomes.items() if o.cashable])
        elif key == "value_pv":
            formula, value = row_total("value_discounted")
        elif key == "public_value_pv":
            formula = "=" + "+".join(f"result.value_pv_by_payer.{p}" for p in PUBLIC_PAYERS)
            value = sum(n(f"value_pv_by_payer.{p}") for p in PUBLIC_PAYERS)
        elif key == "npv":
            formula, value = "=result.value_pv-result.cost_pv", n("value_pv") - n("cost_pv")
        elif key in RATIOS:
            top, bottom = RATIOS[key]
            formula = ratio_formula(f"result.{top}", f"result.{bottom}")
            value = ratio_value(n(top), n(bottom))
        elif key == "payback_year":
            formula = payback_formula(w.year_span(out.rows["paid_back"]))
            value = payback_value(out.values["cum_value"], out.values["cum_cost"])
        else:
            raise ValueError(f"the workbook has no formula for the metric {key!r}")
        got[key], formulas[key] = value, formula
    for key in metric_names():
        label = metric_heading(key, s.currency)
        cell = w.scalar(
            label, "", formulas[key], got[key], kind_of(key), name=f"result.{key}", bold=True
        )
        out.results[key] = (cell, got[key])


def metric_heading(key: str, currency: str) -> str:
    """A metric's row heading with its unit, spelt out for readers, the
    currency as its symbol (``£``) where it has one."""
    sign = style.symbol(currency).strip()
    if key in METRICS:
        return METRICS[key].heading(sign, spelt_out=True)
    prefix, _, part = key.partition(".")
    if prefix == "value_pv_by_payer":
        return f"Value to {PAYERS[part].phrase}, present value [{sign}]"
    return f"{VALUE_TYPES[part].label} value, present value [{sign}]"
