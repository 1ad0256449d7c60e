"""Readable names for a scenario's values, for every chart and table.

A value is addressed in code by its dotted path (``effect.relative_risk``,
``outcomes.pd_quality_of_life_child.probability``); a reader sees a name in plain
words.  :func:`value_label` is the one place that turns the first into the
second, and every view (the tornado chart, the sensitivity tables, the
report's findings, the workbook's inputs sheet) calls it:

1. the value's own ``label`` when the scenario file gives one
   (``relative_risk: {pert: [...], label: Relative risk of depression with
   befriending}``);
2. otherwise a name built from the field: a short name for each field of the
   scenario language (:data:`FIELD_LABELS`), with the cost line's or the
   outcome's own label in front for the fields of a cost line or an outcome;
3. for a field without a short name, its description in the scenario models
   without the unit; and failing that the path's last part in words.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from sroi.scenario.model import Scenario, path_steps, scenario_values, value_at
from sroi.vocabulary import COST_DRIVERS, OUTCOME_DRIVERS

#: Short names of the scenario-wide fields, by dotted path.
FIELD_LABELS: Mapping[str, str] = {
    "delivery.years": "Delivery years",
    "delivery.referrals_per_year": "Referrals a year",
    "delivery.uptake": "Uptake (share of referrals who use the service)",
    "delivery.engagement": "Engagement (share of users who engage fully)",
    "volunteers.pool": "Active volunteers",
    "volunteers.turnover": "Volunteer turnover a year",
    "volunteers.max_users_per_volunteer": "Women one volunteer can support a year",
    "volunteers.hours_per_user": "Befriending hours per woman",
    "volunteers.training_hours": "Training hours per new volunteer",
    "volunteers.supervision_hours_per_year": "Supervision hours per volunteer a year",
    "volunteers.expenses_per_hour": "Volunteer expenses per contact hour",
    "volunteers.value_per_hour": "Value of an hour of volunteer time",
    "costs.coordinator.fte": "Co-ordinator posts (FTE)",
    "costs.coordinator.salary": "Co-ordinator salary",
    "costs.coordinator.on_costs": "Co-ordinator on-costs (share of salary)",
    "costs.overhead_rate": "Overheads (share of cash costs)",
    "costs.optimism_bias": "Optimism bias uplift on cash costs",
    "effect.risk_without": "Risk of perinatal depression without the service",
    "effect.risk_with": "Risk of perinatal depression with the service",
    "effect.relative_risk": "Relative risk of perinatal depression with the service",
    "adjustments.deadweight": "Deadweight (every outcome)",
    "adjustments.attribution": "Attribution to others (every outcome)",
    "adjustments.displacement": "Displacement (every outcome)",
    "adjustments.drop_off": "Drop-off a year (every outcome)",
    "discounting.rate": "Discount rate",
}

#: Names of an outcome's fields, after the outcome's own label.
OUTCOME_FIELDS: Mapping[str, str] = {
    "probability": "share affected",
    "proxy": "value per {driver}",
    "duration": "years it lasts",
    "lag": "years before it starts",
    "deadweight": "deadweight",
    "attribution": "attribution to others",
    "displacement": "displacement",
    "drop_off": "drop-off a year",
}


def value_label(scenario: Scenario, path: str) -> str:
    """The readable name of the value at ``path`` in ``scenario``: its own
    ``label`` when the file gives one, else :func:`default_label`.

    >>> import sroi
    >>> s = sroi.load_scenario("scenarios/family_action_pss/oxford.yaml")
    >>> value_label(s, "costs.coordinator.salary")
    'Co-ordinator salary'
    >>> value_label(s, "outcomes.gp_consultations.proxy")
    'GP consultations for depression avoided: value per case averted'
    """
    value = value_at(scenario, path)
    if value is not None and value.label:
        return value.label
    return default_label(path, scenario)


def value_labels(scenarios: Iterable[Scenario]) -> dict[str, str]:
    """Every value path of ``scenarios`` with its readable name
    (:func:`value_label`); a path in several scenarios takes its name from
    the first that has it."""
    out: dict[str, str] = {}
    for s in scenarios:
        for path in scenario_values(s):
            if path not in out:
                out[path] = value_label(s, path)
    return out


def default_label(path: str, scenario: Scenario | None = None) -> str:
    """The name a value gets when its file gives it no ``label``, from the
    field and, with a ``scenario``, its cost line's or outcome's label.

    >>> default_label("delivery.ramp[0]")
    'Ramp multiplier, delivery year 0'
    >>> default_label("outcomes.pd_quality_of_life_child.probability")
    'Pd quality of life child: share affected'
    >>> default_label("costs.lines.premises.amount")
    'Premises: cost'
    """
    parts = path_steps(path)
    if path in FIELD_LABELS:
        return FIELD_LABELS[path]
    if parts[:1] == ["delivery"] and parts[1:2] == ["ramp"] and len(parts) == 3:
        return f"Ramp multiplier, delivery year {parts[2].strip('[]')}"
    if parts[:1] == ["outcomes"] and len(parts) >= 3:
        return _outcome_label(parts[1], ".".join(parts[2:]), path, scenario)
    if parts[:2] == ["costs", "lines"] and len(parts) >= 4:
        return _line_label(parts[2], ".".join(parts[3:]), path, scenario)
    return _sentence(field_description(path) or _words(parts[-1]))


def _outcome_label(oid: str, field: str, path: str, scenario: Scenario | None) -> str:
    outcome = scenario.outcomes.get(oid) if scenario is not None else None
    name = outcome.label if outcome is not None else _sentence(_words(oid))
    driver = OUTCOME_DRIVERS[outcome.per].unit if outcome is not None else "unit"
    if field in OUTCOME_FIELDS:
        return f"{name}: {OUTCOME_FIELDS[field].format(driver=driver)}"
    return f"{name}: {_lower(field_description(path) or _words(field))}"


def _line_label(lid: str, field: str, path: str, scenario: Scenario | None) -> str:
    line = scenario.costs.lines.get(lid) if scenario is not None else None
    name = line.label if line is not None else _sentence(_words(lid))
    if field == "amount":
        return f"{name}: {_cost_per(line.per) if line is not None else 'cost'}"
    return f"{name}: {_lower(field_description(path) or _words(field))}"


def _cost_per(per: str) -> str:
    """A cost line's amount in words, by its driver: "cost per woman"."""
    driver = COST_DRIVERS[per]
    return "one-off cost" if driver.formula == "first_year" else f"cost per {driver.unit}"


def field_description(path: str) -> str:
    """The description of the field at ``path`` in the scenario models, without
    its unit or final full stop ("" when there is none).

    >>> field_description("volunteers.training_hours")
    'Training per recruited volunteer'
    """
    text = re.sub(r"\s*\[[^\]]*\]", "", _description(path)).strip()
    text = re.sub(r";\s*default.*$", "", text).rstrip(".").strip()
    return "" if text.lower().startswith("overrides") else text


def value_unit(scenario: Scenario, path: str) -> str:
    """The unit of the value at ``path``, with the scenario's currency and the
    driver of a cost line or outcome, e.g. ``"GBP/volunteer_recruited"``
    (``"GBP/volunteer/year"`` for the pool, charged every year); an
    outcome's proxy is per year (``"GBP/case_averted/year"``) unless the
    outcome has a ``spread``, whose proxy is its whole value per unit
    (``"GBP/case_averted"``).  "" for a field without a unit.

    >>> import sroi
    >>> s = sroi.load_scenario("scenarios/family_action_pss/oxford.yaml")
    >>> value_unit(s, "costs.lines.volunteer_recruitment.amount")
    'GBP/volunteer_recruited'
    """
    found = re.search(r"\[([^\]]+)\]", _description(path))
    text = found.group(1).split(",")[0].strip() if found else ""
    text = text.replace("currency", scenario.currency)
    parts = path.split(".")
    if path.startswith("costs.lines.") and parts[-1] == "amount":
        per = scenario.costs.lines[parts[2]].per
        # The pool is charged in every delivery year (docs/methodology.md §3).
        per = "volunteer/year" if per == "volunteer" else per
        return text.replace("/unit", " once") if per == "once" else text.replace("unit", per)
    if path.startswith("outcomes.") and parts[-1] == "proxy":
        outcome = scenario.outcomes[parts[1]]
        text = text.replace("unit", outcome.per)
        if outcome.spread is not None:
            # A spread outcome's proxy is its whole value per unit, paid out
            # over the spread's years (docs/methodology.md §4), as the value
            # map says: not a value per year of duration.
            text = text.removesuffix("/year")
    return text


def _description(path: str) -> str:
    """The description of the field at ``path``, as written in the models
    ("" when there is none)."""
    tp: Any = Scenario
    description = ""
    for segment in path_steps(path):
        tp = _bare(tp)
        origin = typing.get_origin(tp)
        if origin is dict:
            tp = typing.get_args(tp)[1]
        elif origin is list:
            tp = typing.get_args(tp)[0]
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and segment in tp.model_fields:
            field = tp.model_fields[segment]
            tp, description = field.annotation, field.description or ""
        else:
            return ""
    return description


def _bare(tp: Any) -> Any:
    """``tp`` without ``Optional`` and ``Annotated``."""
    while True:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        elif origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        else:
            return tp


def _words(key: str) -> str:
    return key.strip("[]").replace("_", " ")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower(text: str) -> str:
    keep = len(text) > 1 and text[1].isupper()  # an acronym such as "NHS"
    return text if keep else text[:1].lower() + text[1:]
