"""Each outcome on a site's sheet: its inputs, quantity, impact, value by
year and present value (docs/methodology.md, outcomes and discounting).

The impact of cohort year t is driver(t) × probability × proxy ×
(1 − deadweight)(1 − attribution)(1 − displacement).  It reaches year
y = t + lag + k with the share w(k) = min(max(duration − k, 0), 1) ×
(1 − drop-off)^k, one helper row of shares and one row per cohort.  A spread
outcome pays the impact of cohort t, a present value at year b = t + lag,
over years b + start .. in proportion to its weights, scaled by
DF(b) / Σ weight × DF so that its present value is unchanged.
"""

from __future__ import annotations

import numpy as np

from sroi.reports import style
from sroi.reports.xlsx._cells import ref
from sroi.reports.xlsx._grid import VALUE, YEAR0
from sroi.reports.xlsx.site import SiteWriter, value_schedule
from sroi.vocabulary import OUTCOME_DRIVERS, VALUE_TYPES

_ADJUSTMENTS = ("deadweight", "attribution", "displacement")


def outcome(w: SiteWriter, oid: str) -> None:
    """Write the block of outcome ``oid``."""
    s, o = w.s, w.s.outcomes[oid]
    p = f"outcomes.{oid}"
    w.section(o.label, f"{o.stakeholder}: {oid}")
    head = w.row - 1
    fmt = w.sheet.fmt.get(section=True)
    w.sheet.text(head, 4, style.PAYER_LABELS[o.payer], fmt)
    w.sheet.text(head, 5, VALUE_TYPES[o.value_type].label, fmt)
    w.sheet.text(head, 6, "cashable" if o.cashable else "not cashable", fmt)
    keep: dict[str, tuple[str, float]] = {}

    def named(path: str, kind: str) -> tuple[str, float]:
        name, value = w.input(path, kind)  # type: ignore[arg-type]
        keep[path.rsplit(".", 1)[1]] = (w.cells[name], value)
        return name, value

    prob_name, prob = named(f"{p}.probability", "share")
    proxy_name, proxy = named(f"{p}.proxy", "money_unit")
    factors: list[tuple[str, float]] = []
    for adj in (*_ADJUSTMENTS, "drop_off"):
        if getattr(o, adj) is not None:
            name, share = named(f"{p}.{adj}", "share")
        else:
            name, share = f"adjustments.{adj}", w.n(f"adjustments.{adj}")
            label = f"{adj.replace('_', '-').capitalize()} (scenario-wide)"
            w.scalar(label, "", f"={name}", share, "share")
            keep[adj] = (w.cells[name], share)
        factors.append((name, share))
    lag_name, lag = named(f"{p}.lag", "number")

    driver = OUTCOME_DRIVERS[o.per]
    years, c = w.years, w.year_cell
    d_row = w.out.rows[driver.formula]
    d_values = w.out.values[driver.formula][:years]
    r_driver = w.yearly(
        f"Driver: {driver.units}", "", driver.units, lambda y: f"={c(d_row, y)}", d_values, "count"
    )
    quantity = d_values * prob
    r_q = w.yearly(
        "Quantity",
        "driver × probability",
        driver.units,
        lambda y: f"={c(r_driver, y)}*{prob_name}",
        quantity,
        "count",
    )
    keep["quantity"] = (w.value_cell(r_q), float(np.sum(quantity)))
    keep["proxy"] = (w.cells[proxy_name], proxy)
    adjust = "".join(f"*(1-{name})" for name, _ in factors[:3])
    impact = quantity * proxy
    for _, share in factors[:3]:
        impact = impact * (1.0 - share)
    r_imp = w.yearly(
        "Impact of the cohort",
        "quantity × proxy × (1 − deadweight)(1 − attribution)(1 − displacement)",
        s.currency,
        lambda y: f"={c(r_q, y)}*{proxy_name}{adjust}",
        impact,
        "money",
    )
    schedule = value_schedule(s, oid)
    df = w.out.values[f"discount.{schedule}"]
    if o.spread is None:
        dur_name, duration = named(f"{p}.duration", "number")
        value = _lasting(w, p, r_imp, impact, dur_name, duration, factors[3], lag)
    else:
        value = _spread(w, p, r_imp, impact, lag_name, lag, schedule, df)
    r_value = w.row - 1
    r_df = w.out.discount_rows[schedule]
    discounted = value * df
    r_disc = w.yearly(
        "Value, discounted",
        f"value × discount.{schedule}; the total is the present value",
        s.currency,
        lambda y: f"={c(r_value, y)}*{w.year_cell(r_df, y, fix_row=True)}",
        discounted,
        "money",
        bold=True,
    )
    keep["pv"] = (w.value_cell(r_disc), float(np.sum(discounted)))
    w.out.outcomes[oid] = keep
    w.out.rows[f"outcome.{oid}.value"] = r_value
    w.out.rows[f"outcome.{oid}.discounted"] = r_disc
    w.out.values[f"outcome.{oid}.value"] = value
    w.out.values[f"outcome.{oid}.discounted"] = discounted


def _cohort_first(w: SiteWriter, row: int, formula: str, first: int) -> None:
    """Column C of a cohort row: the first year it reaches."""
    w.sheet.formula(row, VALUE, formula, float(first), "year")


def _lasting(
    w: SiteWriter,
    p: str,
    r_imp: int,
    impact: np.ndarray,
    dur_name: str,
    duration: float,
    drop: tuple[str, float],
    lag: float,
) -> np.ndarray:
    """Rows of an outcome that lasts ``duration`` years with drop-off; returns its value by year."""
    big_h, idx = w.horizon, w.year_index
    drop_name, drop_value = drop
    k = np.arange(big_h)
    share = np.clip(duration - k, 0.0, 1.0) * (1.0 - drop_value) ** k
    name = f"{p}.share_by_year"

    def share_cell(y: int) -> str:
        if y == 0:
            return f"=MIN(MAX({dur_name},0),1)"
        return f"=MIN(MAX({dur_name}-{idx(y)},0),1)*(1-{drop_name})^{idx(y)}"

    r_share = w.yearly(
        "Share of the impact in year k of the outcome",
        f"{name}: min(max(duration − k, 0), 1) × (1 − drop-off)^k",
        "",
        share_cell,
        share,
        "factor",
        total=False,
    )
    w.define(name, w.year_span(r_share))
    first_row = w.row
    value = np.zeros(big_h)
    for t in range(w.years):
        first = t + int(lag)
        cohort = np.zeros(big_h)
        reach = k >= first
        cohort[reach] = impact[t] * share[k[reach] - first]
        imp = ref(r_imp, YEAR0 + t, fix_row=True, fix_col=True)
        r = w.row
        first_cell = w.value_cell(r)
        w.yearly(
            f"Value from cohort year {t}",
            "C: first year reached; then impact × share of year k",
            "",
            [
                f"=IF({idx(y)}<{first_cell},0,{imp}*INDEX({name},1,{idx(y)}-{first_cell}+1))"
                for y in range(big_h)
            ],
            cohort,
            "money",
            total=False,
        )
        _cohort_first(w, r, f"={t}+{p}.lag", first)
        value = value + cohort
    last_row = w.row - 1
    return _value_row(w, first_row, last_row, value)


def _spread(
    w: SiteWriter,
    p: str,
    r_imp: int,
    impact: np.ndarray,
    lag_name: str,
    lag: float,
    schedule: str,
    df: np.ndarray,
) -> np.ndarray:
    """Rows of an outcome whose value is spread over years; returns its value by year."""
    spread = w.s.outcomes[p.split(".")[1]].spread
    assert spread is not None
    big_h, idx = w.horizon, w.year_index
    start_name = f"{p}.spread.start"
    w.sheet.text(w.row, 0, "Spread: years from the cohort's value to the first payment")
    w.sheet.text(w.row, 1, start_name)
    w.sheet.number(w.row, VALUE, spread.start, "number", entry=True)
    w.sheet.text(w.row, 3, "years")
    w.define(start_name, w.value_cell(w.row))
    w.row += 1
    weights = spread.profile()
    weights_name = f"{p}.spread.weights"
    r_w = w.entries(
        "Spread: weight of each year of payment",
        f"{weights_name} (from the first payment; add a weight to lengthen)",
        weights,
        "number",
    )
    w.define(weights_name, w.year_span(r_w))
    k = np.arange(big_h)
    placed: list[tuple[int, np.ndarray, int]] = []
    for t in range(w.years):
        first = t + int(lag) + spread.start
        row_w = np.zeros(big_h)
        inside = (k >= first) & (k < first + len(weights))
        row_w[inside] = np.asarray(weights)[k[inside] - first]
        r = w.row
        first_cell = w.value_cell(r)
        w.yearly(
            f"Weight by year, cohort year {t}",
            "C: first year of payment; then the weight of year k",
            "",
            [
                f"=IF({idx(y)}<{first_cell},0,INDEX({weights_name},1,{idx(y)}-{first_cell}+1))"
                for y in range(big_h)
            ],
            row_w,
            "number",
            total=False,
        )
        _cohort_first(w, r, f"={t}+{lag_name}+{start_name}", first)
        placed.append((r, row_w, t))
    first_row = w.row
    value = np.zeros(big_h)
    disc = f"discount.{schedule}"
    for r, row_w, t in placed:
        b = t + int(lag)
        amount = impact[t] * df[b] / float(np.sum(row_w * df))
        cohort = amount * row_w
        imp = ref(r_imp, YEAR0 + t, fix_row=True, fix_col=True)
        rv = w.row
        w.yearly(
            f"Value from cohort year {t}",
            "C: impact × DF(t + lag) / Σ weight × DF; then C × weight",
            "",
            [f"={w.value_cell(rv)}*{w.year_cell(r, y)}" for y in range(big_h)],
            cohort,
            "money",
            total=False,
        )
        w.sheet.formula(
            rv,
            VALUE,
            f"={imp}*INDEX({disc},1,{t}+{lag_name}+1)/SUMPRODUCT({w.year_span(r)},{disc})",
            amount,
            "money",
        )
        value = value + cohort
    return _value_row(w, first_row, w.row - 1, value)


def _value_row(w: SiteWriter, first_row: int, last_row: int, value: np.ndarray) -> np.ndarray:
    c = w.year_cell
    w.yearly(
        "Value, undiscounted",
        "sum of the cohorts",
        w.s.currency,
        lambda y: f"=SUM({c(first_row, y)}:{c(last_row, y)})",
        value,
        "money",
    )
    return value
