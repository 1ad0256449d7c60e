"""What the page template is given: the form's sections with their values
and problems, the sites to choose from, and the results as formatted text
(with each number also kept exactly, for anyone who checks it)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sroi._version import __version__
from sroi.app.charts import Chart
from sroi.app.compute import Figure, Outcome
from sroi.app.fields import (
    DEFAULT_DRAWS,
    DEFAULT_MONEY_YEAR,
    PRICE_YEARS,
    RUN_FIELDS,
    SECTIONS,
    Field,
    financial_year,
)
from sroi.app.form import NEW_AREA, FormResult
from sroi.app.proposal import pilot_sites
from sroi.replication.template import Template
from sroi.reports import style


@dataclass(frozen=True)
class Cell:
    """A number as shown, and exactly (``repr`` of the float, "nan" when undefined)."""

    text: str
    exact: str


def _cell(x: float, fmt: str, currency: str) -> Cell:
    if fmt == "money":
        text = style.money(x, currency)
    elif fmt == "ratio":
        text = style.ratio(x)
    elif fmt == "share":
        text = style.share(x)
    else:
        text = style.count(x)
    return Cell(text, repr(float(x)))


def row(label: str, f: Figure, fmt: str, currency: str) -> dict[str, Any]:
    """A table row: label, base case, mean and 90% interval."""
    return {
        "label": label,
        "base": _cell(f.base, fmt, currency),
        "mean": _cell(f.mean, fmt, currency),
        "p5": _cell(f.p5, fmt, currency),
        "p95": _cell(f.p95, fmt, currency),
    }


def _payback(year: float) -> str:
    return "not within the horizon" if not math.isfinite(year) else f"year {year:.0f}"


def results_context(o: Outcome) -> dict[str, Any]:
    """The results part of the page."""
    c = o.currency
    sym = style.symbol(c)
    return {
        "scenario_id": o.scenario_id,
        "name": o.results.scenarios[0].name,
        "draws": f"{o.results.draws:,}",
        "seed": o.results.seed,
        "prices": f"{c} at FY {financial_year(o.price_year)} prices",
        "people": [
            row("Women supported [women]", o.users, "count", c),
            row(f"Unit cost [{sym} per woman]", o.unit_cost, "money", c),
            row(f"Cost per case averted [{sym} per case]", o.cost_per_case_averted, "money", c),
            row(f"Cost, present value [{sym}]", o.cost_pv, "money", c),
            row(f"Value, present value [{sym}]", o.value_pv, "money", c),
        ],
        "returns": [
            {
                **row(f"{r.label[0].upper()}{r.label[1:]} [{r.unit}]", r.figure, "ratio", c),
                "id": r.id,
                "meaning": r.meaning[0].upper() + r.meaning[1:],
                "prob": _cell(r.prob_above_1, "share", c),
            }
            for r in o.returns
        ],
        "payback": _payback(o.payback_year),
        "payback_exact": repr(float(o.payback_year)),
        "prob_payback": _cell(o.prob_payback, "share", c),
        "payers": [{**row(p.label, p.figure, "money", c), "id": p.id} for p in o.payers],
        "pilots": [
            {
                "id": p.id,
                "name": style.short_name(p.name),
                "chosen": p.chosen,
                "unit_cost": row("", p.unit_cost, "money", c),
                "sroi_ratio": row("", p.sroi_ratio, "ratio", c),
                "prob": _cell(p.prob_sroi_above_1, "share", c),
                "best": _cell(p.prob_best, "share", c),
            }
            for p in o.pilots
        ],
    }


def _defaults() -> dict[str, str]:
    return {
        "site": NEW_AREA,
        "draws": str(DEFAULT_DRAWS),
        "seed": "0",
        "money_year": str(DEFAULT_MONEY_YEAR),
        "price_year": "",
    }


def context(
    form: FormResult | None,
    outcome: Outcome | None = None,
    charts: Sequence[Chart] = (),
    failure: str | None = None,
) -> dict[str, Any]:
    """Everything ``templates/page.html`` prints."""
    values = _defaults() | (form.values if form else {})
    errors = form.errors if form else {}
    general = list(form.general) if form else []
    choices: dict[str, list[tuple[str, str]]] = {
        "money_year": [(str(y), f"FY {financial_year(y)}") for y in PRICE_YEARS],
        "price_year": [("", "The scenario's own (FY 2011-12)")]
        + [(str(y), f"FY {financial_year(y)}") for y in PRICE_YEARS],
        "yes_no": [("", "Choose…"), ("yes", "Yes"), ("no", "No")],
    }
    return {
        "version": __version__,
        "sites": [(NEW_AREA, "A new area: enter its figures")]
        + [(s.id, s.name) for s in pilot_sites()],
        "sections": SECTIONS,
        "run_fields": RUN_FIELDS,
        "values": values,
        "errors": errors,
        "general": general,
        "choices": choices,
        "cost_lines": cost_lines(),
        "failure": failure,
        "results": results_context(outcome) if outcome else None,
        "charts": list(charts),
        "field_id": field_id,
    }


@cache
def cost_lines() -> tuple[str, ...]:
    """The template's cost line ids, which local costs may name."""
    return tuple(Template.load().line_ids())


def field_id(f: Field) -> str:
    """The HTML id of a field's input."""
    return f"field-{f.key}"


__all__ = ["Cell", "context", "cost_lines", "field_id", "results_context", "row"]
