"""Validated overrides: a new scenario with some values replaced.

:func:`with_values` is how a sweep (or a script) sets a case's values without
writing a file per case.  Each override names a value by its dotted path
(``"costs.coordinator.fte"``, ``"delivery.ramp[0]"``) and gives a number or
any value form of the scenario language, with metadata.  A path may also
name a whole entry of a keyed section (``"costs.lines.counsellor_group"``),
which adds or replaces that entry.  The result is validated exactly as a
file would be, and every problem names the dotted path and what was
expected.

Provenance: an overriding number or value mapping replaces the old value
whole (its ``source`` and ``note`` do not stick), like a child file in
``extends``.  It is recorded as ``evidence: local_data`` with a note saying
where it was set, unless the override gives its own ``evidence`` and
``note``.  ``shared`` is carried over from the value it replaces, so shared
values keep drawing from common streams, and so is a money value's
``price_year``: an overriding number or distribution is read in the prices of
the value it replaces (which may differ from the scenario's ``price_year``)
unless the override gives its own ``price_year``.
"""

from __future__ import annotations

import numbers
import re
import types
import typing
from collections.abc import Mapping
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from sroi.scenario.checks import check_references, without_echoes
from sroi.scenario.errors import did_you_mean, problems_from_validation
from sroi.scenario.model import Scenario
from sroi.scenario.money import is_money_path, relabel_refused
from sroi.scenario.problems import Mark, Problem, ScenarioError, dotted
from sroi.scenario.values import DISTRIBUTION_KEYS, Value
from sroi.scenario.yamlio import Document, Path_

#: Where overrides given in Python are said to be written.
PYTHON_ORIGIN = Mark("<overrides>", 1, 1)
#: Evidence grade recorded on an override that does not give its own.
DEFAULT_EVIDENCE = "local_data"

_PART = r"([^.\[\]]+)((?:\[\d+\])*)"  # compiled on first use (re caches it)
_METADATA_KEYS = frozenset(Value.model_fields) - frozenset(DISTRIBUTION_KEYS)


def with_values(
    scenario: Scenario,
    values: Mapping[str, Any],
    *,
    origin: Mark = PYTHON_ORIGIN,
    marks: Mapping[str, Mark] | None = None,
) -> Scenario:
    """A new, validated scenario with the values at some dotted paths replaced.

    Parameters
    ----------
    scenario : Scenario
        The scenario to start from; it is not changed.  The result keeps its
        id, so its values draw from the same random streams (common random
        numbers).
    values : mapping
        Dotted path -> a number (numpy's too), a value mapping (``{"pert": [0.6, 0.8, 1.0],
        "source": "x", "note": "..."}``), a mapping of metadata only (merged
        into the existing value), the whole entry of a keyed section, or
        ``None`` (removes an optional value, as ``null`` in a file).
        A tuple or a 1-D numpy array is read as a list.
        Units are those of the field (``docs/scenarios.md``); money is in the
        prices of the value it replaces (its ``price_year``) unless the
        override gives its own ``price_year``.  A value replaces the old one
        whole, its evidence grade and source too: unless it gives its own
        ``evidence`` (and ``note``), it counts as ``local_data`` with a note
        saying where it was set.  Give ``"evidence": "assumption"`` for a
        what-if, so that evidence profiles do not count it as local data.
    origin : Mark
        Where the overrides are written (a grid file and row, say); problems
        that belong to no single override point here, and the provenance
        note names it.
    marks : mapping, optional
        Dotted path -> where that override is written.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        With every problem found, each as ``FILE:LINE:COL: path: message``.

    Examples
    --------
    >>> import sroi
    >>> base = sroi.load_scenario("scenarios/family_action_pss/oxford.yaml")
    >>> case = sroi.with_values(base, {"costs.coordinator.fte": 1.0,
    ...                                "delivery.referrals_per_year": {"pert": [60, 90, 130]}})
    >>> case.costs.coordinator.fte.value, case.costs.coordinator.fte.evidence
    (1.0, 'local_data')
    >>> try:
    ...     sroi.with_values(base, {"costs.coordinator.fte": -1})
    ... except sroi.ScenarioError as exc:
    ...     print(exc)
    <overrides>:1:1: costs.coordinator.fte: expected a count, hours or cost >= 0; found -1
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(
            "scenario: expected a Scenario (load a file with sroi.load_scenario); "
            f"found {type(scenario).__name__} {scenario!r:.60}"
        )
    if not isinstance(values, Mapping):
        raise TypeError(
            "values: expected a mapping of dotted path -> value, e.g. "
            f"{{'costs.coordinator.fte': 1.0}}; found {type(values).__name__} {values!r:.60}"
        )
    marks = dict(marks or {})
    data = scenario.model_dump(mode="python", exclude_none=True)
    doc = Document(origin.file, data, values={(): origin})
    problems: list[Problem] = []
    for path, raw in values.items():
        where = marks.get(path, origin)
        raw = _plain(raw)
        parts = _split(path)
        if parts is None:
            problems.append(Problem(where, str(path), _PATH_HELP))
            continue
        target, problem = _resolve(data, parts)
        if problem is not None:
            problems.append(Problem(where, dotted(parts[: len(target) + 1]), problem))
            continue
        _mark_all(doc, parts, raw, where)
        old = _get(data, parts)
        if raw is None:
            if old is None and _keyed(parts[:-1]):
                known = list(_get(data, parts[:-1]) or {})
                hint = did_you_mean(str(parts[-1]), known) or "; it holds " + ", ".join(
                    sorted(known)
                )
                problems.append(
                    Problem(
                        where,
                        dotted(parts),
                        f"null removes nothing: {dotted(parts[:-1])} has no {parts[-1]!r}{hint}",
                    )
                )
                continue
            _remove(data, parts)  # null removes an optional value, as in a file
            continue
        relabelled = _relabels(scenario, parts, raw, old)
        if relabelled is not None:
            problems.append(Problem(where, dotted((*parts, "price_year")), relabelled))
            continue
        _set(data, parts, _with_provenance(raw, old, where))
    if problems:
        raise ScenarioError(sorted(problems, key=lambda p: (p.mark, p.path)))
    problems = check_references(doc)
    result: Scenario | None = None
    try:
        result = Scenario.model_validate(data)
    except ValidationError as exc:
        found = problems_from_validation(exc, doc, Scenario)
        problems = without_echoes(found, problems) + problems
    if problems or result is None:
        raise ScenarioError(sorted(problems, key=lambda p: (p.mark, p.path)))
    return result


_PATH_HELP = (
    "expected a dotted path such as costs.coordinator.fte or delivery.ramp[0] "
    "(keys separated by dots, list entries as [n])"
)


def _split(path: object) -> Path_ | None:
    """``"delivery.ramp[1]"`` -> ``("delivery", "ramp", 1)``; None if malformed."""
    if not isinstance(path, str) or not path:
        return None
    out: list[str | int] = []
    for piece in path.split("."):
        m = re.fullmatch(_PART, piece)
        if m is None:
            return None
        out.append(m.group(1))
        out.extend(int(i) for i in re.findall(r"\[(\d+)\]", m.group(2)))
    return tuple(out)


def _plain(raw: Any) -> Any:
    """``raw`` with Python's own types where a script may hold numpy's or a
    tuple: a numpy number (not a bool) as the int or float it is, a tuple or
    a 1-D numpy array as a list, inside mappings and lists too.  Anything
    else is kept as given, for validation to judge.

    >>> import numpy as np
    >>> _plain({"pert": np.array([1.0, 2.0, 3.0])}), _plain(np.int64(5)), _plain((1, 2))
    ({'pert': [1.0, 2.0, 3.0]}, 5, [1, 2])
    """
    if isinstance(raw, numbers.Real) and type(raw).__module__ == "numpy":
        return int(raw) if isinstance(raw, numbers.Integral) else float(raw)
    if isinstance(raw, (bool, int, float, str)) or raw is None:
        return raw
    if isinstance(raw, tuple) or (type(raw).__name__ == "ndarray" and getattr(raw, "ndim", 0) == 1):
        return [_plain(x) for x in raw]
    if isinstance(raw, dict):
        return {k: _plain(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_plain(x) for x in raw]
    return raw


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp


def _resolve(data: dict[str, Any], parts: Path_) -> tuple[Path_, str | None]:
    """Check that ``parts`` names a value or an entry of a keyed section.

    Returns the longest valid prefix and a problem (None when valid).  A
    missing optional value (an outcome's own ``deadweight``) may be set; a
    new entry may be added to a keyed section (``costs.lines``); nothing
    else may be created.
    """
    tp: Any = Scenario
    node: Any = data
    done: Path_ = ()
    for i, part in enumerate(parts):
        tp = _unwrap(tp)
        last = i == len(parts) - 1
        if isinstance(tp, type) and issubclass(tp, Value):
            return done, f"{dotted(done)} is a value; set it whole, not its {part!r}"
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if not isinstance(part, str) or part not in tp.model_fields:
                names = sorted(tp.model_fields)
                hint = did_you_mean(str(part), names) or "; expected one of: " + ", ".join(names)
                return done, f"unknown key {part!r}{hint}"
            tp = tp.model_fields[part].annotation
            node = node.get(part) if isinstance(node, dict) else None
        elif typing.get_origin(tp) is dict:
            if not isinstance(part, str):
                return done, f"{dotted(done)} is keyed by name, not by position"
            if (not isinstance(node, dict) or part not in node) and not last:
                known = sorted(node) if isinstance(node, dict) else []
                return done, f"no entry {part!r} in {dotted(done)}{did_you_mean(part, known)}"
            tp = typing.get_args(tp)[1]
            node = node.get(part) if isinstance(node, dict) else None
        elif typing.get_origin(tp) is list:
            size = len(node) if isinstance(node, list) else 0
            if not isinstance(part, int) or part >= size:
                return done, f"expected an entry [0] to [{size - 1}] of {dotted(done)}"
            tp = typing.get_args(tp)[0]
            node = node[part]
        else:
            return done, f"{dotted(done)} is not a section; it has no {part!r}"
        done = (*done, part)
    tp = _unwrap(tp)
    is_value = isinstance(tp, type) and issubclass(tp, Value)
    is_entry = len(parts) >= 2 and isinstance(parts[-2], str) and _keyed(parts[:-1])
    if not (is_value or is_entry):
        return parts[:-1], (
            f"{dotted(parts)} is not a numeric value; expected the path of a value "
            "(e.g. costs.coordinator.fte) or of an entry of a keyed section "
            "(e.g. costs.lines.new_line)"
        )
    return parts, None


def _keyed(path: Path_) -> bool:
    """Whether ``path`` is a keyed section (a ``dict`` field, e.g. ``costs.lines``)."""
    tp: Any = Scenario
    for part in path:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(part, str):
            tp = tp.model_fields[part].annotation
        elif typing.get_origin(tp) in (dict, list):
            tp = typing.get_args(tp)[-1]
        else:
            return False
    return typing.get_origin(_unwrap(tp)) is dict and path[-1:] != ("sources",)


def _get(data: Any, parts: Path_) -> Any:
    for part in parts:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _set(data: Any, parts: Path_, value: Any) -> None:
    for part in parts[:-1]:
        data = data.setdefault(part, {}) if isinstance(data, dict) else data[part]
    data[parts[-1]] = value


def _remove(data: Any, parts: Path_) -> None:
    parent = _get(data, parts[:-1])
    if isinstance(parent, dict):
        parent.pop(parts[-1], None)


def _relabels(scenario: Scenario, parts: Path_, raw: Any, old: Any) -> str | None:
    """Why metadata-only ``raw`` with a ``price_year`` over money ``old`` is
    refused, as in a file over its parent (:func:`~sroi.scenario.money.relabel_refused`);
    None when it is not."""
    if not (isinstance(raw, dict) and raw and set(raw) <= _METADATA_KEYS):
        return None
    year = raw.get("price_year")
    if year is None or not is_money_path(parts) or not isinstance(old, dict):
        return None
    held = old.get("price_year", scenario.price_year)
    if year == held:
        return None
    kind = next((k for k in DISTRIBUTION_KEYS if k in old), None)
    if kind is None:
        return None
    number = f"number {old[kind]!r}" if kind == "value" else f"{kind} distribution"
    return relabel_refused(number, held, year)


def _with_provenance(raw: Any, old: Any, where: Mark) -> Any:
    """The override as scenario data, with its provenance recorded."""
    if isinstance(raw, Value):
        raw = raw.model_dump(exclude_none=True)
    is_number = isinstance(raw, (int, float)) and not isinstance(raw, bool)
    is_value = isinstance(raw, dict) and any(k in raw for k in DISTRIBUTION_KEYS)
    if isinstance(raw, dict) and raw and set(raw) <= _METADATA_KEYS and isinstance(old, dict):
        return {**old, **raw}  # metadata only: merged into the value it describes
    if not (is_number or is_value):
        return raw  # a whole entry (or something invalid): as given
    out = {"value": raw} if is_number else dict(raw)
    out.setdefault("evidence", DEFAULT_EVIDENCE)
    at = "" if where == PYTHON_ORIGIN else f" in {where.file}, line {where.line}"
    out.setdefault("note", f"Set by an override{at}.")
    if isinstance(old, dict) and old.get("shared") and "shared" not in out:
        out["shared"] = True
    if isinstance(old, dict) and old.get("price_year") is not None and "price_year" not in out:
        out["price_year"] = old["price_year"]  # same prices as the value it replaces
    return out


def _mark_all(doc: Document, parts: Path_, raw: Any, where: Mark) -> None:
    """Point every path at and below an override at where it is written."""
    doc.values[parts] = where
    doc.keys[parts] = where
    if isinstance(raw, dict):
        for key, child in raw.items():
            _mark_all(doc, (*parts, key), child, where)
    elif isinstance(raw, list):
        for i, child in enumerate(raw):
            _mark_all(doc, (*parts, i), child, where)


__all__ = ["DEFAULT_EVIDENCE", "PYTHON_ORIGIN", "with_values"]
