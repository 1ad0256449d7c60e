"""Build the field reference of the scenario language from the models.

``docs/scenarios.md`` is this script's output; regenerate it after changing a
model with::

    python tools/build_reference.py > docs/scenarios.md

``tests/test_reference_doc.py`` fails while the committed page differs.

Every table of fields is read from the pydantic models: key, description (with
its unit), what the field accepts and its default.  What a numeric field
accepts comes from the :class:`~sroi.scenario.values.Support` attached to its
alias in :mod:`sroi.scenario.values`; the meanings of drivers, payers, value
types and evidence grades come from :mod:`sroi.vocabulary`.  The rest of the
prose around the tables (cross-field rules, merge rules) lives here.
"""

from __future__ import annotations

import re
import sys
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, Union

import annotated_types as at
from pydantic import BaseModel, StringConstraints
from pydantic.fields import FieldInfo

from sroi import limits as limits_
from sroi import vocabulary
from sroi.scenario import errors, loader, yamlio
from sroi.scenario.model import (
    Adjustments,
    Correlation,
    CostDriver,
    Costs,
    Delivery,
    Discounting,
    Effect,
    Outcome,
    OutcomeDriver,
    Payer,
    Scenario,
    Source,
    ValueType,
    Volunteers,
)
from sroi.scenario.values import (
    DISTRIBUTION_KEYS,
    BetaSpec,
    Evidence,
    MeanSd,
    NormalSpec,
    Support,
    Value,
)

REGENERATE = "python tools/build_reference.py > docs/scenarios.md"

_PATTERNS = {
    r"^[a-z][a-z0-9_]*$": "snake_case id",
    r"^[A-Z]{3}$": "three capital letters (ISO 4217 code)",
}

#: What "not set" means for optional fields where it means more than nothing.
_NOT_SET: dict[tuple[type[BaseModel], str], str] = {
    (Delivery, "ramp"): "all 1",
    (Volunteers, "max_users_per_volunteer"): "no cap",
    (Effect, "risk_with"): "see the rule below",
    (Effect, "relative_risk"): "see the rule below",
    (Discounting, "rate"): "not set (required with `constant`)",
    **{(Outcome, k): "from `adjustments`" for k in Adjustments.model_fields},
}

#: Rules that span fields, checked by validators and ``sroi.scenario.checks``.
_RULES: dict[type[BaseModel], list[str]] = {
    Source: ["Every `source:` written on a value must be a key of `sources`."],
    Delivery: [
        "`ramp`, when given, has exactly `years` entries (one per delivery year).",
        "Referrals in year t = `referrals_per_year` × `ramp[t]`; users = referrals × "
        "`uptake`, capped at `pool` × `max_users_per_volunteer` when that is given; "
        "engaged users = users × `engagement`.",
    ],
    Volunteers: [
        "Recruited volunteers: the whole `pool` in year 0, `pool` × `turnover` after.",
        "Volunteer hours = users × `hours_per_user` + recruited × `training_hours` + "
        "`pool` × `supervision_hours_per_year`; valued at `value_per_hour` as an in-kind "
        "input unless `value_time_as_input` is false.",
    ],
    Costs: [
        "Cash cost in a delivery year = (co-ordinator + cost lines + volunteer expenses) × "
        "(1 + `overhead_rate`) × (1 + `optimism_bias`); co-ordinator = `fte` × `salary` × "
        "(1 + `on_costs`).",
    ],
    Effect: [
        "Give exactly one of `risk_with` and `relative_risk`; with `relative_risk`, "
        "risk with the service = `risk_without` × `relative_risk`.",
        "Cases averted = engaged users × (`risk_without` − risk with the service).",
    ],
    Outcome: [
        "Quantity = driver (`per`) × `probability`; impact = quantity × `proxy` × "
        "(1 − deadweight)(1 − attribution)(1 − displacement).",
        "The impact of cohort year t is valued in years t + `lag` + k, k = 0, 1, …, "
        "scaled by (1 − drop_off)^k; a fractional `duration` counts its last year pro rata.",
        "`deadweight`, `attribution`, `displacement` and `drop_off` fall back to "
        "`adjustments` when not set.",
    ],
    Discounting: [
        "`rate` is required with `schedule: constant` and refused with the other schedules.",
        "`green_book`: 3.5% a year for years 1–30, then 3.0%, 2.5%, 2.0%, 1.5% and 1.0% "
        "on the bands 31–75, 76–125, 126–200, 201–300 and after; `green_book_health`: "
        "1.5%, 1.29%, 1.07%, 0.86%, 0.64% and 0.43% on the same bands.",
    ],
    Correlation: [
        "Both paths name uncertain values written in the scenario (dotted, e.g. "
        "`effect.risk_without`); fixed values, `years` and `lag` cannot be correlated.",
        "A pair is given once, a value is not correlated with itself, and together the "
        "correlations must form a valid (positive semi-definite) correlation matrix, judged "
        "once every entry is sound (an entry with a problem of its own is reported alone).",
    ],
}

_CENTRAL = {
    "value": ("x", "fixed", "x"),
    "uniform": ("[low, high]", "uniform", "midpoint (low + high) / 2"),
    "triangular": ("[low, mode, high]", "triangular", "mode"),
    "pert": ("[low, mode, high]", "Beta-PERT, λ = 4", "mode"),
    "normal": ("{mean, sd, min?, max?}", "normal, truncated to [min, max]", "mean (clipped)"),
    "lognormal": ("{mean, sd}", "lognormal with that mean and sd", "mean"),
    "gamma": ("{mean, sd}", "gamma by the method of moments", "mean"),
    "beta": ("{mean, sd} or {successes, trials}", "beta; counts give Beta(s, n − s)", "mean"),
    "range90": ("[low, high]", "lognormal with 5th/95th percentiles low, high", "√(low·high)"),
}

_PARAMETER_RULES = [
    "`uniform`, `triangular` and `pert` need low < high, and the mode within "
    "[low, high]; a value that is not uncertain is written as a single number.",
    "`normal` needs sd > 0 and, when both are given, min < max; a truncated normal's mean "
    "at most 1e150 sd outside [min, max], and min and max apart when measured in sd from "
    "the mean.",
    "`lognormal` and `gamma` need mean > 0 and sd > 0; a lognormal needs sd/mean between "
    "1e-150 and 1e150, a gamma its shape mean²/sd² and scale sd²/mean each between 1e-300 "
    "and 1e300.",
    "`beta` from moments needs 0 < mean < 1, sd > 0 and sd² < mean(1 − mean), and its shapes "
    "α = mean·ν and β = (1 − mean)·ν, ν = mean(1 − mean)/sd² − 1, at most 1e15 (for mean 0.5, "
    "sd at least 1.2e-8: a value more certain than that is a fixed number); from counts "
    "0 < successes < trials (counts need not be whole).",
    "`range90` needs 0 < low < high, and a finite mean exp(μ + σ²/2): with high = 1e12, low "
    "at least 7.2e-44.",
    "Beyond these limits floating-point arithmetic cannot hold a distribution's derived "
    "parameters, and its draws would be NaN or infinite; the message says which numbers "
    "would work.",
    "Every number is finite: `.nan` and `.inf` are refused.",
]

# Meanings of the closed choices, from the vocabulary.
_EVIDENCE = {g.id: g.meaning for g in vocabulary.EVIDENCE_GRADES.values()}
_COST_DRIVERS = {d.id: d.meaning for d in vocabulary.COST_DRIVERS.values()}
_OUTCOME_DRIVERS = {d.id: d.meaning for d in vocabulary.OUTCOME_DRIVERS.values()}
_PAYERS = {p.id: p.meaning for p in vocabulary.PAYERS.values()}
_VALUE_TYPES = {v.id: v.meaning for v in vocabulary.VALUE_TYPES.values()}

_MERGE_RULES = [
    "A file may start with `extends: other.yaml`, a path relative to the file, with `/` "
    "between folders on every system (`\\` and a final `/` are refused). The parent "
    "is loaded first and this file is merged over it; a parent may extend another file "
    f"in turn, at most {loader.MAX_EXTENDS_DEPTH} files deep (a cycle is an error).",
    "A parent must be a `.yaml` or `.yml` file below the folder above the scenario's own "
    "(so `../common/_base.yaml` works), below the working folder, or among the scenarios "
    "bundled with sroi; `--allow-extends FOLDER` allows another folder. A folder, device, "
    "FIFO, link loop or unreadable file is refused, and no message shows what a refused "
    "file holds (see `docs/security.md`).",
    "Mappings merge key by key: a child states only what differs. Sections, named cost "
    "lines, outcomes and sources can all be changed one key at a time.",
    "Any other value replaces the parent's whole, lists included (`ramp`, "
    "`correlations`): restate the full list.",
    "A value written as a mapping with a value key (`{pert: [...], source: x}`) is one "
    "value: it replaces the parent's value whole, metadata included, so the parent's "
    "`source` or `note` never sticks to a new number. A mapping with metadata only "
    "(`{note: ...}`) merges into the parent's value; a parent's bare number `x` is read as "
    "`{value: x}` first, so it can be annotated too. A `price_year` in such a mapping must be "
    "the year the inherited number is already at: any other would relabel the number, and "
    "is refused with the fix (see [price years](#6-money-price-years)).",
    "Money keeps the price year of the file that writes it: a child that sets another "
    "`price_year` converts the money it inherits (see [price years](#6-money-price-years)).",
    "`null` means *not set* in any file: in a child it removes what the parent had "
    "(e.g. `outcomes: {volunteer_wellbeing: null}`). A `null` over a key the parent does "
    "not have removes nothing, so it is refused as a misspelt name, with the names the "
    "parent has. A key the scenario does not know is reported as unknown whatever its "
    "value, `null` or empty included (`notez:` left empty while drafting).",
    "Problems are reported against the file where the offending key is written, parent "
    "or child. Files whose name starts with `_` are bases: `sroi validate` and `sroi run` "
    "skip them when given a folder and check them through the files that extend them.",
]


# --------------------------------------------------------------------------- walking


@dataclass(frozen=True)
class _Section:
    path: str  # e.g. "costs.lines.<id>"
    model: type[BaseModel]


def _strip_optional(tp: Any) -> Any:
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _split(tp: Any) -> tuple[Any, list[Any]]:
    """The bare type and its ``Annotated`` metadata."""
    tp = _strip_optional(tp)
    meta: list[Any] = []
    while typing.get_origin(tp) is typing.Annotated:
        tp, *extra = typing.get_args(tp)
        meta.extend(extra)
    return tp, meta


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel) and tp is not Value


def _child(tp: Any, path: str) -> tuple[str, type[BaseModel]] | None:
    """The nested model a field holds, with the path of one of its items."""
    tp, _ = _split(tp)
    origin = typing.get_origin(tp)
    if _is_model(tp):
        return path, tp
    if origin is dict and _is_model(_split(typing.get_args(tp)[1])[0]):
        return f"{path}.<id>", _split(typing.get_args(tp)[1])[0]
    if origin is list and _is_model(_split(typing.get_args(tp)[0])[0]):
        return f"{path}[]", _split(typing.get_args(tp)[0])[0]
    return None


def _sections() -> list[_Section]:
    """Every section of a scenario, depth first in field order."""
    out = [_Section("", Scenario)]

    def visit(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            found = _child(field.annotation, f"{prefix}{name}")
            if found:
                out.append(_Section(*found))
                visit(found[1], found[0] + ".")

    visit(Scenario, "")
    return out


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.lower())
    return text.replace(" ", "-")


def _heading(section: _Section) -> str:
    return f"`{section.path}`" if section.path else "Top level"


def _link(section_path: str) -> str:
    return f"[`{section_path}`](#{_slug(f'`{section_path}`')})"


# --------------------------------------------------------------------------- cells


def _fmt(x: float) -> str:
    return f"{x:g}".replace("-", "−")


def _support(tp: Any, metadata: list[Any]) -> Support | None:
    _, meta = _split(tp)
    return next((m for m in [*metadata, *meta] if isinstance(m, Support)), None)


def _value_cell(support: Support | None) -> str:
    if support is None:
        return "number or distribution"
    if support.fixed:
        return support.label
    return f"number or distribution, {support.label}"


def _bounds(meta: list[Any]) -> str:
    low = next((typing.cast(float, m.ge) for m in meta if isinstance(m, at.Ge)), None)
    high = next((typing.cast(float, m.le) for m in meta if isinstance(m, at.Le)), None)
    if low is not None and high is not None:
        return f" in [{_fmt(low)}, {_fmt(high)}]"
    if low is not None:
        return f" ≥ {_fmt(low)}"
    return ""


def _type_cell(annotation: Any, metadata: list[Any], path: str) -> str:
    tp, meta = _split(annotation)
    meta = [*metadata, *meta]
    origin = typing.get_origin(tp)
    child = _child(annotation, path)
    if tp is Value:
        return _value_cell(_support(annotation, metadata))
    if child and origin is dict:
        return f"mapping of snake_case id → {_link(child[0])}"
    if child and origin is list:
        return f"list of {_link(child[0])}"
    if child:
        return f"mapping: {_link(child[0])}"
    if origin is Literal:
        options = [f"`{a}`" for a in typing.get_args(tp)]
        return options[0] if len(options) == 1 else "one of " + ", ".join(options)
    if origin is list:
        item, item_meta = _split(typing.get_args(tp)[0])
        size = next((m.min_length for m in meta if isinstance(m, at.MinLen)), None)
        count = f"{size} " if size and size == _max_len(meta) else ""
        if item is Value:
            entry = _value_cell(_support(typing.get_args(tp)[0], []))
            return f"list of {count}entries, each a {entry}" if count else f"list, each a {entry}"
        if item is str:
            return f"list of {count}text items"
        return f"list of {count}{_scalar(item, item_meta)}"
    return _scalar(tp, meta)


def _max_len(meta: list[Any]) -> int | None:
    return next((m.max_length for m in meta if isinstance(m, at.MaxLen)), None)


def _scalar(tp: Any, meta: list[Any]) -> str:
    if tp is bool:
        return "true or false"
    if tp is int:
        return "whole number" + _bounds(meta)
    if tp is float:
        return "number" + _bounds(meta)
    if tp is str:
        pattern = next((m.pattern for m in meta if isinstance(m, StringConstraints)), None)
        if pattern is None:
            return "text"
        return _PATTERNS.get(str(pattern), f"text matching `{pattern}`")
    raise TypeError(f"no reference wording for the type {tp!r}")


def _default_cell(model: type[BaseModel], name: str, field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    factory = typing.cast(Callable[[], Any] | None, field.default_factory)
    default = factory() if factory is not None else field.default
    if isinstance(default, Value):
        return f"`{_fmt(default.central())}`"
    if isinstance(default, BaseModel):
        return "all defaults"
    if default in ({}, []):
        return "none"
    if default is None:
        return _NOT_SET.get((model, name), "not set")
    if isinstance(default, bool):
        return "`true`" if default else "`false`"
    return f"`{default}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _doc(model: type[BaseModel]) -> str:
    return " ".join((model.__doc__ or "").strip().split("\n\n")[0].split())


# --------------------------------------------------------------------------- pieces


def _table(head: list[str], rows: list[list[str]]) -> Iterator[str]:
    yield "| " + " | ".join(head) + " |"
    yield "|" + "---|" * len(head)
    for row in rows:
        yield "| " + " | ".join(_cell(c) for c in row) + " |"
    yield ""


def _field_rows(model: type[BaseModel], prefix: str) -> list[list[str]]:
    rows = []
    for name, field in model.model_fields.items():
        rows.append(
            [
                f"`{name}`",
                field.description or "",
                _type_cell(field.annotation, list(field.metadata), f"{prefix}{name}"),
                _default_cell(model, name, field),
            ]
        )
    return rows


def _section(section: _Section) -> Iterator[str]:
    yield f"### {_heading(section)}"
    yield ""
    yield _doc(section.model) if section.path else "The keys at the top of a scenario file."
    yield ""
    prefix = f"{section.path}." if section.path else ""
    yield from _table(
        ["key", "what it is", "accepts", "default"], _field_rows(section.model, prefix)
    )
    for rule in _RULES.get(section.model, []):
        yield f"* {rule}"
    if section.model in _RULES:
        yield ""


def _meanings(literal: Any, meanings: dict[str, str], what: str) -> list[list[str]]:
    names = typing.get_args(literal)
    if set(names) != set(meanings):
        raise KeyError(f"{what}: the reference describes {sorted(meanings)}, the model {names}")
    return [[f"`{n}`", meanings[n]] for n in names]


def _supports() -> list[list[str]]:
    """Each support label with the fields that have it."""
    fields: dict[str, list[str]] = {}
    for section in _sections():
        for name, field in section.model.model_fields.items():
            support = _support(field.annotation, list(field.metadata))
            tp, _ = _split(field.annotation)
            path = f"{section.path}.{name}" if section.path else name
            if support is None and typing.get_origin(tp) is list:
                support = _support(typing.get_args(tp)[0], [])
                path += "[]"
            if support is not None:
                fields.setdefault(support.label, []).append(f"`{path}`")
    return [[label, ", ".join(paths)] for label, paths in fields.items()]


def _values_part() -> Iterator[str]:
    yield "## 2. Values: fixed or uncertain"
    yield ""
    yield (
        "Every field marked *number or distribution* may be written as a bare number "
        "(`salary: 26000`) or as a mapping with exactly one value key plus optional "
        "metadata (`salary: {pert: [22000, 25000, 30000], source: nhs_pay}`). The base case "
        "uses each value's central value; a Monte Carlo run draws from the distribution. "
        "The unit is always that of the field."
    )
    yield ""
    yield "### Value keys"
    yield ""
    rows = [
        [f"`{k}`", f"`{_CENTRAL[k][0]}`", _CENTRAL[k][1], _CENTRAL[k][2]] for k in DISTRIBUTION_KEYS
    ]
    yield from _table(["key", "written as", "distribution", "central value (base case)"], rows)
    for model, key in ((NormalSpec, "normal"), (MeanSd, "lognormal, gamma"), (BetaSpec, "beta")):
        yield f"Parameters of {', '.join(f'`{k.strip()}`' for k in key.split(','))}:"
        yield ""
        yield from _table(
            ["key", "what it is", "accepts", "default"], _field_rows(model, f"{key}.")
        )
    yield "Rules for the parameters:"
    yield ""
    yield from (f"* {rule}" for rule in _PARAMETER_RULES)
    yield ""
    yield "### Metadata keys"
    yield ""
    meta = [n for n in Value.model_fields if n not in DISTRIBUTION_KEYS]
    rows = [r for r in _field_rows(Value, "") if r[0].strip("`") in meta]
    yield from _table(["key", "what it is", "accepts", "default"], rows)
    yield "### Evidence grades"
    yield ""
    yield "The `evidence` key grades what a number rests on:"
    yield ""
    yield from _table(
        ["grade", "the number comes from"], _meanings(Evidence, _EVIDENCE, "evidence")
    )
    yield "### What each numeric field accepts"
    yield ""
    yield (
        "Every possible draw must lie in the range a field accepts, not only the central "
        "value: a `normal` on a probability needs `min: 0, max: 1`. *Bounded support* means "
        "both ends finite (`value`, `uniform`, `triangular`, `pert`, or a `normal` with `min` "
        "and `max`). *Fixed* fields take a single number, never a distribution."
    )
    yield ""
    yield from _table(["accepts", "fields"], _supports())


def _money_part() -> Iterator[str]:
    from sroi.prices import DEFLATOR_CURRENCY, GDP_DEFLATOR, GDP_DEFLATOR_SOURCE, covered_years
    from sroi.scenario.money import MONEY_FIELDS

    yield "## 6. Money: price years"
    yield ""
    fields = ", ".join(f"`{'.'.join('<id>' if p == '*' else p for p in f)}`" for f in MONEY_FIELDS)
    yield (
        f"Money values are {fields}. Each may carry `price_year: YYYY`, the financial year "
        "starting in YYYY whose prices it is written in. One without it is at the price year "
        "of the file that writes it: that file's `price_year`, or else the one it inherits. "
        "The engine multiplies each by index(scenario `price_year`) / index(its own year), "
        "the same factor in every draw, so every result is at the scenario's `price_year` "
        "prices. A child that sets a different `price_year` therefore converts the money it "
        "inherits; it never relabels it. For the same reason, a child may not write a "
        "`price_year` alone over an inherited money value (`proxy: {price_year: 2020}` over "
        "the parent's `proxy: 9000` at 2018 prices): that is refused, naming the number and "
        "its year. To state new money, write the number with its year (`proxy: {value: 9500, "
        "price_year: 2020}`). "
        f"Years outside the table ({covered_years()}) are "
        "refused, and `price_year` on a value that is not money is an error. The table "
        f"measures UK prices in {DEFLATOR_CURRENCY}, so it converts {DEFLATOR_CURRENCY} only: "
        "in a scenario in any other `currency`, every money value must be at the scenario's "
        "`price_year` (converted beforehand with a deflator for that currency), and "
        "`--price-year` other than the scenario's own is refused. No table converts between "
        "currencies either, so a child may set a `currency` other than the one it inherits "
        "only when it restates every inherited money value (or removes what holds it); "
        "otherwise it is refused at its `currency`, naming the values it would relabel."
    )
    yield ""
    yield f"GDP deflator, {GDP_DEFLATOR_SOURCE}:"
    yield ""
    rows = [[f"{y}-{(y + 1) % 100:02d}", f"`{y}`", f"{i:.4f}"] for y, i in GDP_DEFLATOR.items()]
    yield from _table(["financial year", "price_year", "index"], rows)


def _drivers_part() -> Iterator[str]:
    yield "## 3. Drivers, payers and value types"
    yield ""
    parts: list[tuple[str, Any, dict[str, str], str]] = [
        (
            "Cost drivers",
            CostDriver,
            _COST_DRIVERS,
            f"`per` of a cost line ({_link('costs.lines.<id>')}): the amount is paid for",
        ),
        (
            "Outcome drivers",
            OutcomeDriver,
            _OUTCOME_DRIVERS,
            f"`per` of an outcome ({_link('outcomes.<id>')}): the quantity counts",
        ),
        ("Payers", Payer, _PAYERS, "`payer` of an outcome: who gains the value"),
        ("Value types", ValueType, _VALUE_TYPES, "`value_type` of an outcome: the kind of value"),
    ]
    for title, literal, meanings, lead in parts:
        yield f"### {title}"
        yield ""
        yield f"{lead}."
        yield ""
        yield from _table(["value", "meaning"], _meanings(literal, meanings, title))
    yield (
        "Results split value by payer and by value type in the orders above; `cashable: "
        "true` on an outcome marks savings a budget holder can actually release."
    )
    yield ""


def _files_part() -> Iterator[str]:
    yield "## 4. `extends`: building on another file"
    yield ""
    yield from (f"* {rule}" for rule in _MERGE_RULES)
    yield ""
    yield "## 5. File rules and limits"
    yield ""
    limits = [
        "UTF-8 text holding one YAML mapping; every key is closed (an unknown key is an "
        "error, with a *did you mean* for a near miss).",
        "Plain data only: mappings, lists, text, numbers, `true`/`false` and `null`. Other "
        "tags (`!!python/...`) are refused and never run. Anchors and aliases (`&x`, `*x`) "
        "are fine; YAML merge keys (`<<`) are refused: use `extends`.",
        "A key written twice in one mapping is an error.",
        'Numbers are typed strictly: `"26000"` (text) or `true` is not a number.',
        "Numbers follow YAML 1.2: `010` is ten, `1e3` is a thousand, `0x1F` and `0o17` are "
        "numbers. The YAML 1.1 forms `0b101` (binary), `1:30` (base 60) and `1_000` are "
        "text, and so are `yes`, `no`, `on` and `off`; the error says what to write instead.",
        "Dates such as `2012-09-17` are read as text.",
        'In double quotes a backslash starts an escape (`"\\n"`, `"\\x07"`), so a Windows '
        'path there (`"C:\\data"`) is refused at the backslash: write `\\\\` for a backslash, '
        "or put the text in single quotes, where a backslash is just a backslash.",
        "Text holds no control characters (ESC, BEL, carriage return, ...), whether "
        'typed or written as a YAML escape such as `"\\e"` or `"\\x07"`. Names and labels '
        "(`name`, `label`, `stakeholder`, `indicator`, `local_authority`, `region`) are one "
        "line, without a line break or a tab, not blank, and at most "
        f"{limits_.MAX_LINE_CHARS} characters; other text, such as notes and citations, may "
        "hold both. Ids (of the scenario, its outcomes, cost lines and sources) are "
        f"snake_case and at most {limits_.MAX_ID_CHARS} characters.",
        "The file holds no Unicode line or paragraph separator (U+2028, U+2029) or "
        "next-line character (U+0085), even in a comment: YAML reads each as a line "
        "break that editors do not show, so keys after it would be misread.",
        f"Every number lies between -{limits_.MAX_MAGNITUDE:,.0f} and "
        f"{limits_.MAX_MAGNITUDE:,.0f} (a trillion), and every number other than 0 is at "
        f"least {limits_.MIN_MAGNITUDE:g} in size (a trillionth); a number written too "
        "large or too small for the computer to hold (`1e400`, `1e-400`) is refused, never "
        "read as infinity or 0.",
        f"At most {limits_.MAX_DELIVERY_YEARS} delivery years, a lag of at most "
        f"{limits_.MAX_LAG_YEARS} years, a duration of at most "
        f"{limits_.MAX_DURATION_YEARS} years, and an analysis horizon (delivery years + lag + "
        f"duration, or + the last year of a spread) of at most {limits_.MAX_HORIZON_YEARS} "
        "years.",
        f"A file may be at most {yamlio.MAX_FILE_BYTES:,} bytes, hold at most "
        f"{yamlio.MAX_NODES:,} nodes (keys, values and list items, aliases followed), at "
        f"most {yamlio.MAX_KEYS:,} keys in one mapping, and nest at most "
        f"{yamlio.MAX_DEPTH} levels deep.",
        "Scenario ids are unique in a run.",
        "Every problem is reported, one per line, as `FILE:LINE:COL: dotted.path: message`; "
        f"past {errors.MAX_PROBLEMS} in one file, one more line says how many were left out.",
    ]
    yield from (f"* {rule}" for rule in limits)
    yield ""


def reference_markdown() -> str:
    """The field reference of the scenario language, as Markdown."""
    secs = _sections()
    lines = [
        "# Scenario file reference",
        "",
        f"<!-- Generated from the models by `{REGENERATE}`; do not edit by hand. -->",
        "",
        "One YAML file describes one site or replication proposal. This page lists every "
        "key the scenario language accepts, read from the models that validate it. For a "
        "walk-through, see [Writing a scenario for a new site](writing-a-scenario.md); for "
        "choices the specification leaves open, see [decisions](decisions.md).",
        "",
        "In the tables, *number or distribution* means a fixed number or any of the "
        "[value forms](#2-values-fixed-or-uncertain); units are in brackets; every money "
        "result is in the scenario's `currency` at `price_year` prices (see "
        "[price years](#6-money-price-years)).",
        "",
        "The numbered parts are stable: code and other pages cite them as `docs/scenarios.md §N`.",
        "",
        "## 1. Sections",
        "",
        *(f"* [{_heading(s)}](#{_slug(_heading(s))})" for s in secs),
        "",
    ]
    for section in secs:
        lines.extend(_section(section))
    lines.extend(_values_part())
    lines.extend(_drivers_part())
    lines.extend(_files_part())
    lines.extend(_money_part())
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> None:
    """Write the reference to standard output as UTF-8."""
    sys.stdout.buffer.write(reference_markdown().encode("utf-8"))


if __name__ == "__main__":
    main()
