"""The Value map sheet: one row per outcome per site, base-case inputs and the
live formulas for quantity, impact, value per year and present value."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sroi.reports.report import Report
from sroi.reports.xlsx._cells import _header, _input, _letter, _money_format, _Styles
from sroi.reports.xlsx._layout import _FIRST, _FIXED, _HEADER_ROW, _INDEX_ROW, _Layout

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


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
        "Quantity(t) = driver(t) × probability. Impact(t) = quantity(t) × proxy × "
        "(1 − deadweight)(1 − attribution)(1 − displacement). Value in year y = Σ_t impact(t) × "
        "min(max(duration − k, 0), 1) × (1 − drop-off)^k with k = y − t − lag ≥ 0. PV = Σ_y "
        "value(y) × discount factor(y) from the Discounting sheet. Columns stop at the "
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
                "proxy": o.proxy.central(),
                **{k: v.central() for k, v in adjust.items()},
                "duration": o.duration.central(),
                "lag": int(o.lag.central()),
                "source": o.proxy.source,
                "evidence": o.proxy.evidence or "not graded",
            }
            for name, value in fixed.items():
                cell = ws.cell(row, lay.col[name], value)
                if name in ("probability", "deadweight", "attribution", "displacement", "drop_off"):
                    cell.number_format = "0.0%"
                    _input(cell, st)
                elif name in ("proxy", "duration", "lag"):
                    cell.number_format = money if name == "proxy" else "0.00"
                    _input(cell, st)
            note = o.proxy.note
            if note:
                ws.cell(row, lay.col["proxy"]).comment = Comment(" ".join(note.split()), "sroi")
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
                yl = _letter(lay.value[y])
                terms = []
                for t in range(lay.years):
                    tl, il = _letter(lay.impact[t]), _letter(lay.impact[t])
                    k = f"({yl}${_INDEX_ROW}-{tl}${_INDEX_ROW}-${c('lag')}{row})"
                    terms.append(
                        f"IF({k}>=0,{il}{row}*MIN(MAX(${c('duration')}{row}-{k},0),1)"
                        f"*IF({k}=0,1,(1-${c('drop_off')}{row})^{k}),0)"
                    )
                ws.cell(row, lay.value[y], "=" + "+".join(terms)).number_format = money
            first, last = _letter(lay.value[0]), _letter(lay.value[-1])
            pv = ws.cell(row, lay.pv, f"=SUMPRODUCT({first}{row}:{last}{row},{lay.df_range(s.id)})")
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
