"""The Excel workbook: a value map an economist can change and recompute.

Sheets:

``Summary``
    Base case recomputed live from the other sheets (cost PV, value PV, NPV,
    SROI ratio per site and for the programme) beside the engine's own base
    case, then the headline table of the run (values).
``Value map``
    One row per outcome per site.  Base-case drivers per cohort year,
    probability, proxy, adjustments, duration and lag are values (blue on
    yellow: change them); quantity, impact, value per analysis year and
    present value are live formulas of those cells.  The PV formula is the
    engine's: cohort t's impact reaches year y = t + lag + k with weight
    min(max(duration - k, 0), 1) (a fractional last year counts pro rata)
    times (1 - drop-off)^k, discounted by the factors on ``Discounting``.
``Discounting``
    Per site, the rate applied on reaching each year and the discount factors
    built from it (live).
``Cash flows``
    Per site and year: cost (value), value by payer (live, from the value
    map), discounted cost and value and the cumulative net position (live),
    with the 90% band of the draws (values).
``Inputs``
    Every input value with its distribution, central value, 90% range,
    evidence grade, source and note.
``Sources``, ``Draws`` (up to 10,000 draws of the key metrics), ``Manifest``.

openpyxl is imported inside :func:`workbook` (the ``report`` extra).
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any

import numpy as np

from sroi.engine.discounting import annual_rates
from sroi.engine.runner import PROGRAMME
from sroi.reports import headline, style
from sroi.reports.atomic import atomic_path
from sroi.reports.inputs import input_rows
from sroi.reports.report import Report
from sroi.scenario.model import PAYERS, Scenario

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

#: Most draws written to the Draws sheet.
MAX_DRAWS = 10_000
#: Metrics on the Draws sheet, per site and for the programme.
DRAW_METRICS = ("sroi_ratio", "npv", "value_pv", "cost_pv", "unit_cost")

#: Value map: fixed columns, in order (name, heading, width).
_FIXED = (
    ("site", "Site", 14),
    ("outcome", "Outcome id", 24),
    ("label", "Outcome", 40),
    ("stakeholder", "Stakeholder", 26),
    ("indicator", "Indicator", 34),
    ("payer", "Payer", 16),
    ("value_type", "Value type", 10),
    ("cashable", "Cashable", 9),
    ("per", "Driver (per)", 13),
    ("probability", "Probability (share of driver)", 12),
    ("proxy", "Financial proxy [currency/unit/year]", 14),
    ("deadweight", "Deadweight", 11),
    ("attribution", "Attribution", 11),
    ("displacement", "Displacement", 12),
    ("drop_off", "Drop-off [per year]", 11),
    ("duration", "Duration [years]", 10),
    ("lag", "Lag [years]", 8),
    ("source", "Proxy source", 18),
    ("evidence", "Proxy evidence", 18),
)
_HEADER_ROW = 4
_INDEX_ROW = 3  # holds t or y for the per-year columns
_FIRST = 5


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


class _Styles:
    """Cell styles, built once openpyxl is imported."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.bold = Font(bold=True)
        self.title = Font(bold=True, size=14)
        self.muted = Font(italic=True, color="555555")
        self.input_font = Font(color="0000CC")
        self.input_fill = PatternFill("solid", fgColor="FFF7D6")
        self.header_fill = PatternFill("solid", fgColor="E8EEF3")
        self.wrap = Alignment(wrap_text=True, vertical="top")


def _money_format(currency: str) -> str:
    sym = style.symbol(currency)
    if len(sym) == 1:
        return f'"{sym}"#,##0;-"{sym}"#,##0'
    return f'#,##0" {currency}"'


def _header(ws: Worksheet, row: int, headings: list[str], st: _Styles) -> None:
    for col, text in enumerate(headings, 1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = st.bold
        cell.fill = st.header_fill
        cell.alignment = st.wrap


def _input(cell: Any, st: _Styles) -> None:
    cell.font = st.input_font
    cell.fill = st.input_fill


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


# --------------------------------------------------------------------------- layout


class _Layout:
    """Column positions of the Value map and Discounting sheets."""

    def __init__(self, report: Report) -> None:
        self.years = max(s.years for s in report.scenarios)  # cohort years T
        self.horizon = max(f.horizon for f in report.results.base_flows.values())  # H
        self.col = {name: i for i, (name, _, _) in enumerate(_FIXED, 1)}
        start = len(_FIXED) + 1
        self.driver = [start + t for t in range(self.years)]
        self.quantity = [start + self.years + t for t in range(self.years)]
        self.impact = [start + 2 * self.years + t for t in range(self.years)]
        self.value = [start + 3 * self.years + y for y in range(self.horizon)]
        self.pv = start + 3 * self.years + self.horizon
        self.engine_pv = self.pv + 1
        self.check = self.pv + 2
        # Discounting sheet: A site, B schedule, C convention, D discount costs,
        # E what the row holds, F.. one column per analysis year.
        self.df_first = 6
        self.df_rows: dict[str, int] = {}  # site -> row of the value discount factors

    def c(self, name: str) -> str:
        """Letter of a fixed Value map column."""
        return _letter(self.col[name])

    def df_range(self, site: str, cost: bool = False) -> str:
        """The Discounting cells of one site's value (or cost) discount factors."""
        row = self.df_rows[site] + (1 if cost else 0)
        first, last = _letter(self.df_first), _letter(self.df_first + self.horizon - 1)
        return f"Discounting!${first}${row}:${last}${row}"


# --------------------------------------------------------------------------- sheets


def _discount_rates(s: Scenario, horizon: int) -> list[float]:
    """Rate applied on reaching each analysis year, so that
    DF_y = DF_(y-1) / (1 + rate_y) with DF_(-1) = 1 reproduces the engine."""
    d = s.discounting
    rate = d.rate.central() if d.rate is not None else None
    rates = [float(r) for r in annual_rates(d.schedule, horizon + 1, rate)]
    if d.convention == "end_of_year":
        return rates[:horizon]
    return [0.0, *rates[: horizon - 1]]


def _discounting(ws: Worksheet, report: Report, lay: _Layout, st: _Styles) -> None:
    ws["A1"] = "Discount factors: live formulas of the rates (change a rate to see the effect)"
    ws["A1"].font = st.title
    ws["A2"] = (
        "DF for year y = DF for year y-1 / (1 + rate applied on reaching year y), starting "
        "from 1. Under the green_book convention year 0 is undiscounted (rate 0); under "
        "end_of_year every year is discounted one more period."
    )
    ws["A2"].font = st.muted
    heads = ["Site", "Schedule", "Convention", "Discount costs", "Row"]
    heads += [f"Year {y}" for y in range(lay.horizon)]
    _header(ws, 4, heads, st)
    row = 5
    for s in report.scenarios:
        d = s.discounting
        rates = _discount_rates(s, lay.horizon)
        lay.df_rows[s.id] = row + 1
        for offset, what in enumerate(
            (
                "Rate applied on reaching the year",
                "Discount factor (value)",
                "Discount factor (cost)",
            )
        ):
            r = row + offset
            ws.cell(r, 1, s.id)
            ws.cell(r, 2, d.schedule)
            ws.cell(r, 3, d.convention)
            ws.cell(r, 4, bool(d.discount_costs))
            ws.cell(r, 5, what)
        for y in range(lay.horizon):
            col = lay.df_first + y
            letter = _letter(col)
            rate_cell = ws.cell(row, col, rates[y])
            rate_cell.number_format = "0.00%"
            _input(rate_cell, st)
            previous = "1" if y == 0 else f"{_letter(col - 1)}{row + 1}"
            ws.cell(row + 1, col, f"={previous}/(1+{letter}{row})").number_format = "0.000000"
            ws.cell(
                row + 2, col, f"=IF($D{row + 2},{letter}{row + 1},1)"
            ).number_format = "0.000000"
        row += 4
    widths = {"A": 16, "B": 18, "C": 14, "D": 9, "E": 32}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "F5"


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


def _cash_flows(ws: Worksheet, report: Report, lay: _Layout, last_vm: int, st: _Styles) -> int:
    """Write Cash flows; returns the last data row."""
    money = _money_format(report.currency)
    ws["A1"] = "Cash flows per site and year: value (live, from the Value map) and cost"
    ws["A1"].font = st.title
    ws["A2"] = (
        "Cost is the engine's base case (undiscounted). Value by payer sums the Value map's "
        "value in each year. The cumulative net position is discounted value minus discounted "
        "cost, added up; the 90% band comes from the Monte Carlo draws."
    )
    ws["A2"].font = st.muted
    heads = ["Site", "Year", "Cost (undiscounted)"]
    heads += [f"Value to {style.PAYER_LABELS[p]}" for p in PAYERS]
    heads += [
        "Value (undiscounted)",
        "Discount factor (value)",
        "Discount factor (cost)",
        "Cost, discounted",
        "Value, discounted",
        "Cumulative net position",
        "Cumulative net, 5th percentile",
        "Cumulative net, 95th percentile",
    ]
    _header(ws, 4, heads, st)
    vm = "'Value map'!"
    site_col, payer_col = (
        f"{vm}${lay.c('site')}$5:${lay.c('site')}${last_vm}",
        (f"{vm}${lay.c('payer')}$5:${lay.c('payer')}${last_vm}"),
    )
    row = 5
    r = report.results
    for s in report.scenarios:
        f = r.base_flows[s.id]
        band = None
        if r.yearly is not None:
            band = np.percentile(r.yearly[s.id], [5.0, 95.0], axis=0)
        for y in range(lay.horizon):
            ws.cell(row, 1, s.id)
            ws.cell(row, 2, y)
            cost = ws.cell(row, 3, float(f.cost[0][y]))
            cost.number_format = money
            _input(cost, st)
            vl = _letter(lay.value[y])
            for i, payer in enumerate(PAYERS):
                ws.cell(
                    row,
                    4 + i,
                    f'=SUMIFS({vm}${vl}$5:${vl}${last_vm},{site_col},$A{row},{payer_col},"{payer}")',
                ).number_format = money
            value_col = 4 + len(PAYERS)
            first_p, last_p = _letter(4), _letter(3 + len(PAYERS))
            ws.cell(row, value_col, f"=SUM({first_p}{row}:{last_p}{row})").number_format = money
            df_col = _letter(lay.df_first + y)
            ws.cell(row, value_col + 1, f"=Discounting!{df_col}{lay.df_rows[s.id]}")
            ws.cell(row, value_col + 2, f"=Discounting!{df_col}{lay.df_rows[s.id] + 1}")
            dc, dv = value_col + 3, value_col + 4
            ws.cell(row, dc, f"=C{row}*{_letter(value_col + 2)}{row}").number_format = money
            ws.cell(
                row, dv, f"={_letter(value_col)}{row}*{_letter(value_col + 1)}{row}"
            ).number_format = money
            net = f"{_letter(dv)}{row}-{_letter(dc)}{row}"
            previous = "" if y == 0 else f"{_letter(dv + 1)}{row - 1}+"
            ws.cell(row, dv + 1, f"={previous}{net}").number_format = money
            if band is not None:
                ws.cell(row, dv + 2, float(band[0][y])).number_format = money
                ws.cell(row, dv + 3, float(band[1][y])).number_format = money
            row += 1
    ws.column_dimensions["A"].width = 16
    for col in range(3, 4 + len(PAYERS) + 8):
        ws.column_dimensions[_letter(col)].width = 15
    ws.row_dimensions[4].height = 45
    ws.freeze_panes = "C5"
    return row - 1


def _summary(
    ws: Worksheet, report: Report, lay: _Layout, last_vm: int, last_cf: int, st: _Styles
) -> None:
    r = report.results
    money = _money_format(report.currency)
    ws["A1"] = report.title
    ws["A1"].font = st.title
    ws["A2"] = (
        f"Money in {report.currency} at {report.price_year} prices. Base case (live): "
        "recomputed by the formulas of the Value map, Discounting and Cash flows sheets; edit "
        "a blue input there and these cells follow. Engine columns and the headline table "
        "below are the run's values."
    )
    ws["A2"].font = st.muted
    _header(
        ws,
        4,
        [
            "Site",
            "Cost PV (live)",
            "Value PV (live)",
            "NPV (live)",
            "SROI ratio (live)",
            "Engine: SROI ratio, base case",
            "Engine: value PV, base case",
        ],
        st,
    )
    vm = "'Value map'!"
    cf = "'Cash flows'!"
    pv_col = _letter(lay.pv)
    dc_col = _letter(4 + len(PAYERS) + 3)
    row = 5
    for s in report.scenarios:
        ws.cell(row, 1, s.id)
        ws.cell(row, 2, f"=SUMIF({cf}$A$5:$A${last_cf},A{row},{cf}${dc_col}$5:${dc_col}${last_cf})")
        ws.cell(row, 3, f"=SUMIF({vm}$A$5:$A${last_vm},A{row},{vm}${pv_col}$5:${pv_col}${last_vm})")
        row += 1
    if len(report.scenarios) > 1:
        ws.cell(row, 1, PROGRAMME)
        ws.cell(row, 2, f"=SUM(B5:B{row - 1})")
        ws.cell(row, 3, f"=SUM(C5:C{row - 1})")
        row += 1
    for i in range(5, row):
        ws.cell(i, 4, f"=C{i}-B{i}")
        ws.cell(i, 5, f'=IF(B{i}>0,C{i}/B{i},"")').number_format = "0.000"
        name = ws.cell(i, 1).value
        ws.cell(i, 6, _finite(r.base_value("sroi_ratio", str(name)))).number_format = "0.000"
        ws.cell(i, 7, _finite(r.base_value("value_pv", str(name))))
        for col in (2, 3, 4, 7):
            ws.cell(i, col).number_format = money
        ws.cell(i, 5).font = st.bold

    row += 2
    ws.cell(row, 1, "Headline results of the run (values)").font = st.bold
    row += 1
    cols = headline.columns(r)
    heads = ["Metric"]
    for _, head in cols:
        heads += [f"{head}: base case", f"{head}: 5th percentile", f"{head}: 95th percentile"]
    _header(ws, row, heads, st)
    for line in headline.lines(report.currency):
        row += 1
        ws.cell(row, 1, ("    " if line.indent else "") + line.label)
        for j, (name, _) in enumerate(cols):
            st_ = headline.stat(r, line.metric, name)
            fmt = {"money": money, "ratio": "0.00", "share": "0%", "count": "0.0", "whole": "0"}[
                line.kind
            ]
            for k, x in enumerate((st_.base, st_.p5, st_.p95)):
                cell = ws.cell(row, 2 + 3 * j + k, _finite(x))
                cell.number_format = fmt
    ws.column_dimensions["A"].width = 46
    for col in range(2, 2 + 3 * len(cols)):
        ws.column_dimensions[_letter(col)].width = 16
    ws.row_dimensions[4].height = 32


def _inputs(ws: Worksheet, report: Report, st: _Styles) -> None:
    refs = {ref.key: ref for ref in report.references}
    heads = [
        "Site",
        "Path",
        "Distribution",
        "Central value (base case)",
        "5th percentile",
        "95th percentile",
        "Shared across sites",
        "Evidence",
        "Source",
        "Citation",
        "Note",
    ]
    _header(ws, 1, heads, st)
    row = 2
    for s in report.scenarios:
        for item in input_rows(s):
            ref = refs.get(item.source or "")
            cells = [
                item.scenario,
                item.path,
                item.distribution,
                item.central,
                item.p5,
                item.p95,
                item.shared,
                item.evidence or "not graded",
                item.source,
                ref.citation if ref else None,
                item.note,
            ]
            for col, value in enumerate(cells, 1):
                ws.cell(row, col, value)
            row += 1
    for letter, width in zip(
        "ABCDEFGHIJK", (14, 44, 30, 14, 14, 14, 10, 18, 18, 60, 90), strict=True
    ):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:K{row - 1}"


def _sources(ws: Worksheet, report: Report, st: _Styles) -> None:
    _header(ws, 1, ["No.", "Key", "Citation", "URL", "Year", "Cited by (site: path)"], st)
    for i, ref in enumerate(report.references, 2):
        cited = "; ".join(f"{sid}: {path}" for sid, path in ref.cited_by)
        for col, value in enumerate(
            (ref.number, ref.key, ref.citation, ref.url, ref.year, cited), 1
        ):
            ws.cell(i, col, value).alignment = st.wrap
    for letter, width in zip("ABCDEF", (5, 22, 80, 40, 6, 80), strict=True):
        ws.column_dimensions[letter].width = width


def _draws(ws: Worksheet, report: Report, st: _Styles) -> None:
    r = report.results
    if not r.draws:
        ws["A1"] = "The run had no Monte Carlo draws (draws = 0)."
        return
    names = [s.id for s in report.scenarios] + ([PROGRAMME] if len(report.scenarios) > 1 else [])
    columns = [(n, m) for n in names for m in DRAW_METRICS]
    stored = len(r.metric(DRAW_METRICS[0], names[0]))
    n = min(stored, MAX_DRAWS)
    _header(ws, 1, ["Draw"] + [f"{name}: {metric}" for name, metric in columns], st)
    data = [r.metric(metric, name)[:n] for name, metric in columns]
    for i in range(n):
        ws.append([i * r.stored_every, *(_finite(float(col[i])) for col in data)])
    if r.draws > n:
        every = f"every {r.stored_every}th draw, " if r.stored_every > 1 else ""
        ws.cell(n + 3, 1, f"{n:,} of {r.draws:,} draws ({every}in draw order).").font = st.muted
    ws.freeze_panes = "B2"
    for col in range(2, len(columns) + 2):
        ws.column_dimensions[_letter(col)].width = 16
    ws.row_dimensions[1].height = 32


def _manifest(ws: Worksheet, report: Report, st: _Styles) -> None:
    m = report.manifest
    row = 1
    for label, text in m.items():
        ws.cell(row, 1, label).font = st.bold
        ws.cell(row, 2, text)
        row += 1
    row += 1
    _header(ws, row, ["Scenario id", "Name", "File", "SHA-256", "Currency", "Price year"], st)
    for s in m.scenarios:
        row += 1
        for col, value in enumerate((s.id, s.name, s.file, s.sha256, s.currency, s.price_year), 1):
            ws.cell(row, col, value)
    for letter, width in zip("ABCDEF", (20, 50, 50, 66, 9, 10), strict=True):
        ws.column_dimensions[letter].width = width


# --------------------------------------------------------------------------- workbook


def workbook(report: Report) -> Workbook:
    """The workbook of ``report`` (an ``openpyxl.Workbook``)."""
    from openpyxl import Workbook

    st = _Styles()
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "Summary"
    vm = wb.create_sheet("Value map")
    disc = wb.create_sheet("Discounting")
    cf = wb.create_sheet("Cash flows")
    lay = _Layout(report)
    _discounting(disc, report, lay, st)
    last_vm = _value_map(vm, report, lay, st)
    last_cf = _cash_flows(cf, report, lay, last_vm, st)
    _summary(summary, report, lay, last_vm, last_cf, st)
    _inputs(wb.create_sheet("Inputs"), report, st)
    _sources(wb.create_sheet("Sources"), report, st)
    _draws(wb.create_sheet("Draws"), report, st)
    _manifest(wb.create_sheet("Manifest"), report, st)
    return wb


def write(report: Report, path: str | os.PathLike[str]) -> None:
    """Write the workbook of ``report`` to ``path`` atomically."""
    wb = workbook(report)
    with atomic_path(path) as tmp:
        wb.save(tmp)
