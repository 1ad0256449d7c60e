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
from sroi.app.compute import Figure, Outcome, Return
from sroi.app.downloads import report_command
from sroi.app.fields import (
    DEFAULT_DRAWS,
    DEFAULT_MONEY_YEAR,
    PERSPECTIVE_CHOICES,
    PERSPECTIVE_FIELD,
    PERSPECTIVE_MEANINGS,
    PRICE_YEARS,
    RUN_FIELDS,
    SECTIONS,
    Field,
    financial_year,
)
from sroi.app.form import NEW_AREA, FormResult, cost_lines, field_name
from sroi.app.proposal import pilot_sites
from sroi.limits import FEW_DRAWS
from sroi.replication.cautions import Caution
from sroi.replication.template import Template
from sroi.reports import style
from sroi.reports.headline import lines as report_lines
from sroi.reports.table import table_text
from sroi.results.run_info import DEFAULT_PERSPECTIVE
from sroi.vocabulary import METRICS, Format


@dataclass(frozen=True)
class Cell:
    """A number as shown, and exactly (``repr`` of the float, "nan" when undefined)."""

    text: str
    exact: str


def cli_text(x: float, fmt: Format) -> str:
    """A number as ``sroi run`` prints it in its table (the same rule, from
    the same formatter), with an en dash when undefined.

    >>> cli_text(104.82, "count"), cli_text(3019.6, "money"), cli_text(2.3349, "ratio")
    ('104.8', '3,020', '2.33')
    """
    return table_text(x, fmt) if math.isfinite(x) else "–"


def _cell(x: float, fmt: str, currency: str) -> Cell:
    if fmt == "share":  # a chance, as sroi run and sroi compare write one
        text = style.chance(x)
    elif fmt == "money" and math.isfinite(x):
        text = ("-" if x < 0 else "") + style.symbol(currency) + cli_text(abs(x), "money")
    else:
        text = cli_text(x, "ratio" if fmt == "ratio" else "money" if fmt == "money" else "count")
    return Cell(text, repr(float(x)))


def row(label: str, f: Figure, fmt: str, currency: str) -> dict[str, Any]:
    """A table row: label, expected value, median, 90% interval and modal inputs."""
    return {
        "label": label,
        "expected": _cell(f.expected, fmt, currency),
        "median": _cell(f.median, fmt, currency),
        "p5": _cell(f.p5, fmt, currency),
        "p95": _cell(f.p95, fmt, currency),
        "modal": _cell(f.modal, fmt, currency),
    }


def _payback(year: float) -> str:
    return "not within the horizon" if not math.isfinite(year) else f"year {year:.0f}"


def _return(r: Return, c: str, sym: str) -> dict[str, Any]:
    return {
        **row(f"{r.label} [{sym} per {sym}]", r.figure, "ratio", c),
        "id": r.id,
        "perspective": r.perspective,
        "meaning": r.meaning[0].upper() + r.meaning[1:],
        "prob": _cell(r.prob_above_1, "share", c),
    }


#: Under the costs per woman and per case: what they divide, as ``sroi run``'s
#: footer says it.
UNDISCOUNTED = (
    "Unit cost and cost per case averted: the undiscounted cost over the women "
    "supported or the cases averted, so they are not the present value of the cost "
    "divided by the same number."
)


def few_draws(draws: int) -> str:
    """The caveat of a run of fewer than :data:`~sroi.limits.FEW_DRAWS` draws
    (as ``sroi run`` warns), or "".

    >>> few_draws(10_000), few_draws(500)[:40]
    ('', '500 draws is fewer than 1,000: the 90% i')
    """
    if not draws or draws >= FEW_DRAWS:
        return ""
    return (
        f"{draws:,} draws is fewer than {FEW_DRAWS:,}: the 90% intervals (p5, p95) and "
        "chances from so few draws are too rough to report. Run the default 10,000 "
        "draws before quoting them."
    )


def cash_label(currency: str) -> str:
    """The cash cost's row heading, as the report's headline table heads it
    (``sroi run`` writes the same words with the currency code).

    >>> cash_label("GBP")
    'of which cash [£]'
    """
    return next(line.label for line in report_lines(currency) if line.metric == "cash_cost_pv")


def results_context(o: Outcome) -> dict[str, Any]:
    """The results part of the page."""
    c = o.currency
    sym = style.symbol(c).strip()
    h = o.headline
    return {
        "scenario_id": o.scenario_id,
        "name": o.results.scenarios[0].name,
        "draws": f"{o.results.draws:,}",
        "few_draws": few_draws(o.results.draws),
        "undiscounted": UNDISCOUNTED,
        "seed": o.results.seed,
        "prices": f"{c} at FY {financial_year(o.price_year)} prices",
        "delivery_years": style.delivery_years(o.results.loaded),
        "totals_note": style.TOTALS_NOTE,
        "people": [
            row(METRICS["users"].heading(sym), o.users, "count", c),
            row(f"Unit cost [{sym} per woman]", o.unit_cost, "money", c),
            row(f"Cost per case averted [{sym} per case]", o.cost_per_case_averted, "money", c),
            row(f"Cost, present value [{sym}]", o.cost_pv, "money", c),
            {**row(cash_label(c), o.cash_cost_pv, "money", c), "id": "cash-cost", "part": True},
            row(f"Value, present value [{sym}]", o.value_pv, "money", c),
        ],
        "perspective": {
            "id": o.perspective.id,
            "label": o.perspective.label,
            "meaning": o.perspective.meaning,
            "definition": o.perspective.definition,
            "return": o.perspective.ratio_label,
            # Within a sentence, an initialism keeps its capitals: "NHS return".
            "phrase": o.perspective.phrase,
            "return_phrase": o.perspective.ratio_phrase,
            "metric": o.perspective.ratio_metric,
        },
        "headline": {
            "return": _return(h.ret, c, sym),
            "net": row(f"Net present value [{sym}]", h.net, "money", c),
            "prob_net": _cell(h.prob_net_positive, "share", c),
            "payback": _payback(h.payback_modal),
            "payback_exact": repr(float(h.payback_modal)),
            "payback_median": (
                f"half of all draws by {_payback(h.payback_median)}"
                if math.isfinite(h.payback_median)
                else "fewer than half of them within the horizon"
            ),
            "payback_median_exact": repr(float(h.payback_median)),
            "prob_payback": _cell(h.prob_payback, "share", c),
        },
        "returns": [_return(r, c, sym) for r in o.returns],
        "payers": [{**row(p.label, p.figure, "money", c), "id": p.id} for p in o.payers],
        "pilots": [
            {
                "id": p.id,
                "name": style.plain_name(p.name),
                "chosen": p.chosen,
                "unit_cost": row("", p.unit_cost, "money", c),
                "ratio": row("", p.ratio, "ratio", c),
                "prob": _cell(p.prob_above_1, "share", c),
                "best": _cell(p.prob_best, "share", c),
            }
            for p in o.pilots
        ],
    }


def _defaults() -> dict[str, str]:
    return {
        "site": NEW_AREA,
        "perspective": DEFAULT_PERSPECTIVE,
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
        "price_year": [("", AUTOMATIC_PRICES)]
        + [(str(y), _price_year_option(y)) for y in PRICE_YEARS],
        "yes_no": [("", "Choose…"), ("yes", "Yes"), ("no", "No")],
        "perspective": list(PERSPECTIVE_CHOICES),
    }
    return {
        "version": __version__,
        "sites": [(NEW_AREA, "A new area: enter its figures")]
        + [(s.id, s.name) for s in pilot_sites()],
        "sections": SECTIONS,
        "run_fields": RUN_FIELDS,
        "perspective_field": PERSPECTIVE_FIELD,
        "perspective_meanings": PERSPECTIVE_MEANINGS,
        "values": values,
        "errors": errors,
        "general": general,
        "choices": choices,
        "cost_lines": cost_lines(),
        "failure": failure,
        "results": results_context(outcome) if outcome else None,
        "charts": list(charts),
        "field_id": field_id,
        "problems": problems(errors),
        "cautions": checks(form.prepared.cautions) if outcome and form and form.prepared else [],
        # The command that writes the downloads, --price-year included when
        # the page shows money at another year's prices than the file's.
        "report_command": (
            report_command(form.prepared, form.settings)
            if outcome and form and form.prepared and form.settings
            else None
        ),
    }


#: The price year's default choice, naming no year: the rule of
#: :func:`sroi.app.form.read_form` (a new area with money is shown at the
#: year it was entered at; a pilot site, or a new area without money, at the
#: scenario's own year, the pilots' :func:`pilot_price_year`), which the
#: field's help spells out.  Short enough for a phone 390 px wide to show whole.
AUTOMATIC_PRICES = "Your money's year, else the pilots'"


@cache
def pilot_price_year() -> int:
    """The price year of the replication template, the pilots' own
    (``tests/test_app.py`` checks each pilot's) [financial year starting]."""
    return int(Template.load().data["price_year"])


def _price_year_option(year: int) -> str:
    """A price year as the list offers it; the pilots' own year says so.

    >>> _price_year_option(2011), _price_year_option(2024)
    ("FY 2011-12 (the pilots' prices)", 'FY 2024-25')
    """
    text = f"FY {financial_year(year)}"
    return f"{text} (the pilots' prices)" if year == pilot_price_year() else text


@dataclass(frozen=True)
class Problem:
    """One line of the error summary, or of the answers to check: the
    field's label, what is wrong or far from the pilots, and the id of the
    input to move to."""

    target: str
    label: str
    message: str


def _fields() -> list[Field]:
    """Every field of the form, in page order."""
    return [
        Field("site", "Site", "", "", ""),
        PERSPECTIVE_FIELD,
        *(f for s in SECTIONS for f in s.fields),
        *RUN_FIELDS,
    ]


def _label(f: Field) -> str:
    """How a summary names a field: its name in a sentence, capitalised
    ("Share referred"), or its label."""
    name = field_name(f.key)
    return name[0].upper() + name[1:] if name else f.label


def problems(errors: dict[str, str]) -> list[Problem]:
    """The problems of a form in page order, each linking to its field."""
    return [Problem(field_id(f), _label(f), errors[f.key]) for f in _fields() if f.key in errors]


def checks(found: Sequence[Caution]) -> list[Problem]:
    """The answers to check (:mod:`sroi.replication.cautions`), in the order
    found, each named as the error summary names its field and linking to it."""
    by_key = {f.key: f for f in _fields()}
    return [Problem(field_id(by_key[c.key]), _label(by_key[c.key]), c.sentence) for c in found]


def field_id(f: Field) -> str:
    """The HTML id of a field's input."""
    return f"field-{f.key}"


__all__ = [
    "AUTOMATIC_PRICES",
    "UNDISCOUNTED",
    "Cell",
    "Problem",
    "cash_label",
    "checks",
    "context",
    "cost_lines",
    "few_draws",
    "field_id",
    "pilot_price_year",
    "problems",
    "results_context",
    "row",
]
