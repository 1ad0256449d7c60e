"""The Value map sheet: one row per outcome per site, base-case inputs and the
live formulas for quantity, impact, value per year and present value."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sroi.reports.report import Report
from sroi.reports.xlsx._cells import _header, _input, _letter, _money_format, _Styles, text
from sroi.reports.xlsx._layout import (
    _FIRST,
    _FIXED,
    _HEADER_ROW,
    _INDEX_ROW,
    _Layout,
    value_schedule,
)
from sroi.scenario.money import price_factors, value_price_year

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def _duration_value(lay: _Layout, row: int, y: int) -> str:
    """Value in year y of an outcome lasting ``duration`` with drop-off."""
    c, yl = lay.c, _letter(lay.value[y])
    terms = []
    for t in range(lay.years):
        tl, il = _letter(lay.impact[t]), _letter(lay.impact[t])
        k = f"({yl}${_INDEX_ROW}-{tl}${_INDEX_ROW}-${c('lag')}{row})"
        terms.append(
            f"IF({k}>=0,{il}{row}*MIN(MAX(${c('duration')}{row}-{k},0),1)"
            f"*IF({k}=0,1,(1-${c('drop_off')}{row})^{k}),0)"
        )
    return "=" + "+".join(terms)


def _spread_value(lay: _Layout, site: str, oid: str, schedule: str, row: int, y: int) -> str:
    """Value in year y of a spread outcome: each cohort's A(t) times the weight
    of year y, with start and weights read from the Spreads sheet."""
    c, yl = lay.c, _letter(lay.value[y])
    r = lay.spread_rows[(site, oid)]
    start, years = f"Spreads!$C${r}", f"Spreads!$D${r}"
    weights = f"OFFSET(Spreads!${_letter(lay.weights_first)}${r},0,0,1,{years})"
    df = lay.df_range(site, schedule)
    df0 = df.split(":")[0]
    terms = []
    for t in range(lay.years):
        tl, il = _letter(lay.impact[t]), _letter(lay.impact[t])
        b = f"({tl}${_INDEX_ROW}+${c('lag')}{row})"
        paid = f"SUMPRODUCT({weights},OFFSET({df0},0,{b}+{start},1,{years}))"
        amount = f"{il}{row}*INDEX({df},1,{b}+1)/{paid}"
        k = f"({yl}${_INDEX_ROW}-{b}-{start})"
        terms.append(f"IF(AND({k}>=0,{k}<{years}),{amount}*INDEX({weights},1,{k}+1),0)")
    return "=" + "+".join(terms)


def _spreads(ws: Worksheet, report: Report, lay: _Layout, st: _Styles) -> None:
    """The Spreads sheet: start, years and weights of every spread outcome."""
    ws["A1"] = "Value profiles (spread): when each outcome's value arrives"
    ws["A1"].font = st.title
    ws["A2"] = (
        "The impact of cohort t is a present value at year b = t + lag, paid over years "
        "b + start .. b + start + years − 1 in proportion to the weights, scaled so that its "
        "present value is unchanged."
    )
    ws["A2"].font = st.muted
    heads = ["Site", "Outcome id", "Start [years]", "Years"]
    heads += [f"Weight {j}" for j in range(lay.max_spread)]
    _header(ws, 4, heads, st)
    row = 5
    for s in report.scenarios:
        for oid, o in s.outcomes.items():
            if o.spread is None:
                continue
            lay.spread_rows[(s.id, oid)] = row
            ws.cell(row, 1, s.id)
            ws.cell(row, 2, oid)
            _input(ws.cell(row, 3, o.spread.start), st)
            ws.cell(row, 4, o.spread.years)
            for j, w in enumerate(o.spread.profile()):
                _input(ws.cell(row, lay.weights_first + j, w), st)
            row += 1
    ws.column_dimensions["B"].width = 26
    ws.freeze_panes = "E5"


#: Columns that hold text written in a scenario file (never a formula).
_USER_TEXT = frozenset({"label", "stakeholder", "indicator", "source"})


def _value_map(ws: Worksheet, report: Report, lay: _Layout, st: _Styles) -> int:
    """Write the Value map; returns the last data row."""
    from openpyxl.comments import Comment

    money = _money_format(report.currency)
    ws["A1"] = (
        "Value map: base-case inputs (blue on yellow) and live formulas for quantity, impact, "
        "value per year and present value"
    )
    ws["A1"].font = st.title
    ws["A2"] = (
        "Proxy = proxy as written × price factor (index of the scenario's price year / index "
        "of the proxy's). Quantity(t) = driver(t) × probability. Impact(t) = quantity(t) × "
        "proxy × (1 − deadweight)(1 − attribution)(1 − displacement). Value in year y = Σ_t "
        "impact(t) × min(max(duration − k, 0), 1) × (1 − drop-off)^k with k = y − t − lag ≥ 0; "
        "with a spread, Σ_t A(t) × w(k) with k = y − t − lag − start and A(t) = impact(t) × "
        "DF(t + lag) / Σ_j w(j) DF(t + lag + start + j). PV = Σ_y value(y) × discount "
        "factor(y) of the row's discount schedule (Discounting sheet). Columns stop at the "
        "analysis horizon: lengthening a duration or lag beyond it drops the later years."
    )
    ws["A2"].font = st.muted
    heads = [h for _, h, _ in _FIXED]
    heads += [f"Driver, cohort year {t}" for t in range(lay.years)]
    heads += [f"Quantity, cohort year {t}" for t in range(lay.years)]
    heads += [f"Impact, cohort year {t}" for t in range(lay.years)]
    heads += [f"Value in year {y} (undiscounted)" for y in range(lay.horizon)]
    heads += ["Present value", "Engine base-case PV", "Formula − engine"]
    _header(ws, _HEADER_ROW, heads, st)
    for t in range(lay.years):
        for cols in (lay.driver, lay.quantity, lay.impact):
            ws.cell(_INDEX_ROW, cols[t], t).font = st.muted
    for y in range(lay.horizon):
        ws.cell(_INDEX_ROW, lay.value[y], y).font = st.muted
    ws.cell(_INDEX_ROW, 1, "t or y →").font = st.muted

    row = _FIRST
    c = lay.c
    for s in report.scenarios:
        values = report.outcomes[s.id]
        for oid, o in s.outcomes.items():
            adjust = {
                name: (getattr(o, name) or getattr(s.adjustments, name))
                for name in ("deadweight", "attribution", "displacement", "drop_off")
            }
            proxy_path = f"outcomes.{oid}.proxy"
            schedule = value_schedule(s, o)
            fixed: dict[str, Any] = {
                "site": s.id,
                "outcome": oid,
                "label": o.label,
                "stakeholder": o.stakeholder,
                "indicator": o.indicator,
                "payer": o.payer,
                "value_type": o.value_type,
                "cashable": bool(o.cashable),
                "per": o.per,
                "probability": o.probability.central(),
                "proxy_written": o.proxy.central(),
                "price_year": value_price_year(s, o.proxy),
                "price_factor": price_factors(s)[proxy_path],
                "proxy": f"={c('proxy_written')}{row}*{c('price_factor')}{row}",
                **{k: v.central() for k, v in adjust.items()},
                "duration": o.duration.central(),
                "lag": int(o.lag.central()),
                "schedule": schedule,
                "spread": lay.spread_rows.get((s.id, oid)),
                "source": o.proxy.source,
                "evidence": o.proxy.evidence or "not graded",
            }
            for name, value in fixed.items():
                safe = text(value) if name in _USER_TEXT else value  # "proxy" is a formula
                cell = ws.cell(row, lay.col[name], safe)
                if name in ("probability", "deadweight", "attribution", "displacement", "drop_off"):
                    cell.number_format = "0.0%"
                    _input(cell, st)
                elif name in ("proxy_written", "duration", "lag", "price_factor"):
                    cell.number_format = money if name == "proxy_written" else "0.00"
                    if name == "price_factor":
                        cell.number_format = "0.000000"
                    _input(cell, st)
                elif name == "proxy":
                    cell.number_format = money
            note = o.proxy.note
            if note:
                ws.cell(row, lay.col["proxy_written"]).comment = Comment(
                    text(" ".join(note.split())), "sroi"
                )
            driver = values.base_driver[oid]
            for t in range(lay.years):
                d = ws.cell(row, lay.driver[t], float(driver[t]) if t < len(driver) else 0.0)
                d.number_format = "0.000"
                _input(d, st)
                dl, ql = _letter(lay.driver[t]), _letter(lay.quantity[t])
                ws.cell(
                    row, lay.quantity[t], f"={dl}{row}*${c('probability')}{row}"
                ).number_format = "0.000"
                ws.cell(
                    row,
                    lay.impact[t],
                    f"={ql}{row}*${c('proxy')}{row}*(1-${c('deadweight')}{row})"
                    f"*(1-${c('attribution')}{row})*(1-${c('displacement')}{row})",
                ).number_format = money
            for y in range(lay.horizon):
                if o.spread is not None:
                    formula = _spread_value(lay, s.id, oid, schedule, row, y)
                else:
                    formula = _duration_value(lay, row, y)
                ws.cell(row, lay.value[y], formula).number_format = money
            first, last = _letter(lay.value[0]), _letter(lay.value[-1])
            df = lay.df_range(s.id, schedule)
            pv = ws.cell(row, lay.pv, f"=SUMPRODUCT({first}{row}:{last}{row},{df})")
            pv.number_format = money
            pv.font = st.bold
            ws.cell(row, lay.engine_pv, values.base_pv[oid]).number_format = money
            pl, el = _letter(lay.pv), _letter(lay.engine_pv)
            ws.cell(row, lay.check, f"={pl}{row}-{el}{row}").number_format = "0.000000"
            row += 1
    for name, (_, _, width) in zip(lay.col, _FIXED, strict=True):
        ws.column_dimensions[c(name)].width = width
    for col in [*lay.driver, *lay.quantity, *lay.impact, *lay.value, lay.pv, lay.engine_pv]:
        ws.column_dimensions[_letter(col)].width = 13
    ws.row_dimensions[_HEADER_ROW].height = 45
    ws.freeze_panes = ws.cell(_FIRST, lay.col["label"] + 1)
    ws.auto_filter.ref = f"A{_HEADER_ROW}:{_letter(lay.check)}{row - 1}"
    return row - 1
