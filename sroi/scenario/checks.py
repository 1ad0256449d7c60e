"""Checks that span sections: source keys, ramp length, correlations, price years.

They run on the merged document, before and independently of the field-level
validation, and skip anything malformed (field validation reports that), so
one run reports every problem in a file.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sroi.limits import (
    MAX_DELIVERY_YEARS,
    MAX_DURATION_YEARS,
    MAX_HORIZON_YEARS,
    MAX_LAG_YEARS,
    MAX_MAGNITUDE,
    MIN_MAGNITUDE,
)
from sroi.scenario.correlations import copula_rows, is_positive_semidefinite, smallest_eigenvalue
from sroi.scenario.errors import did_you_mean
from sroi.scenario.model import Scenario
from sroi.scenario.money import (
    converts,
    is_money_path,
    money_values,
    unconverted_currency,
    value_price_year,
)
from sroi.scenario.problems import Problem, dotted
from sroi.scenario.values import DISTRIBUTION_KEYS, describe
from sroi.scenario.yamlio import Document, Path_

#: Numeric fields that are always fixed whole numbers, never correlated.
_FIXED_ONLY = {"years", "lag"}
#: Most negative eigenvalue a correlation matrix may have, for rounding.
_PSD_TOLERANCE = 1e-10


@dataclass(frozen=True)
class OutOfRange(Problem):
    """A number past :data:`~sroi.limits.MAX_MAGNITUDE`, or other than 0 and
    below :data:`~sroi.limits.MIN_MAGNITUDE` in size."""


def without_echoes(problems: list[Problem], references: list[Problem]) -> list[Problem]:
    """Field ``problems`` less those about a number out of range (an
    :class:`OutOfRange` among ``references``) or a value built from one: the
    field's own check fails too (in pydantic's words, for a whole number),
    and the number is what to fix."""
    large = [p.path for p in references if isinstance(p, OutOfRange)]
    return (
        [p for p in problems if not any(q == p.path or q.startswith(p.path + ".") for q in large)]
        if large
        else problems
    )


def check_limits(scenario: Scenario, doc: Document) -> list[Problem]:
    """Every declared limit (:mod:`sroi.limits`) that a validated ``scenario``
    passes, located at the value in ``doc``."""
    return list(_limit_problems(scenario, doc))


def check_currency(scenario: Scenario, doc: Document) -> list[Problem]:
    """Money a validated ``scenario`` would convert between price years although
    its currency is not the deflator's (docs/methodology.md §4a), located at
    each value's ``price_year`` in ``doc``."""
    if converts(scenario):
        return []
    return [
        _problem(
            doc,
            (*path.split("."), "price_year"),
            unconverted_currency(scenario.currency, year, scenario.price_year),
        )
        for path, value in money_values(scenario).items()
        if (year := value_price_year(scenario, value)) != scenario.price_year
    ]


def check_references(doc: Document) -> list[Problem]:
    """Every cross-section problem in ``doc``."""
    data = doc.data if isinstance(doc.data, dict) else {}
    walk = _Walk(doc, data)
    return [
        *walk.magnitudes,
        *walk.sources,
        *_check_ramp(doc, data),
        *_check_correlations(doc, data, walk.uncertain),
        *walk.price_years,
    ]


class _Walk:
    """One pass over a document's data, gathering what the checks below need:
    out-of-range numbers, undefined sources, misplaced ``price_year`` keys
    (each in file order) and the dotted paths of uncertain values."""

    def __init__(self, doc: Document, data: dict[str, Any]) -> None:
        self.doc = doc
        sources = data.get("sources")
        self.defined = set(sources) if isinstance(sources, dict) else set()
        self.magnitudes: list[Problem] = []
        self.sources: list[Problem] = []
        self.price_years: list[Problem] = []
        #: Dotted paths of every uncertain value outside ``sources`` and lists.
        self.uncertain: list[str] = []
        self._visit(data, (), False, False)

    def _visit(
        self, x: dict[str, Any] | list[Any], path: Path_, in_sources: bool, in_list: bool
    ) -> None:
        # Only mappings and lists are visited; a number is checked where it
        # is found, in the same order (each problem list is in file order).
        if isinstance(x, dict):
            # _value_mapping acts only on a mapping with one of these keys.
            if not in_sources and (
                "source" in x or "price_year" in x or not _DISTRIBUTION_KEYS.isdisjoint(x)
            ):
                self._value_mapping(x, path, in_list)
            items: Any = x.items()
            top = not path
        else:
            items = enumerate(x)
            top, in_list = False, True
        visit, isfinite, high, low = self._visit, math.isfinite, MAX_MAGNITUDE, MIN_MAGNITUDE
        for k, v in items:
            if isinstance(v, _NESTED):
                visit(v, (*path, k), in_sources or (top and k == "sources"), in_list)
            elif (
                isinstance(v, _NUMBERS)
                and not isinstance(v, bool)
                # An int is finite, and may be too large for a float.
                and (isinstance(v, int) or isfinite(v))
                and (abs(v) > high or 0 < abs(v) < low)
            ):
                self._out_of_range(v, (*path, k))

    def _out_of_range(self, x: float, path: Path_) -> None:
        self.magnitudes.append(
            OutOfRange(
                self.doc.mark(path),
                dotted(path),
                f"expected a number between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g} "
                f"(the largest a scenario may hold); found {_shown(x)}"
                if abs(x) > MAX_MAGNITUDE
                else f"expected 0 or a number at least {MIN_MAGNITUDE:g} in size (the "
                f"smallest a scenario may hold other than 0); found {_shown(x)}",
            )
        )

    def _value_mapping(self, x: dict[str, Any], path: Path_, in_list: bool) -> None:
        """The checks on a mapping outside ``sources``."""
        doc = self.doc
        is_value = not _DISTRIBUTION_KEYS.isdisjoint(x)
        key = x.get("source")
        if (
            isinstance(key, str)
            and key not in self.defined
            and (is_value or path[-1:] == ("spread",))
        ):
            where = (*path, "source")
            hint = did_you_mean(key, self.defined) or "; define it under `sources`"
            self.sources.append(
                Problem(doc.mark(where), dotted(where), f"undefined source {key!r}{hint}")
            )
        if path and "price_year" in x and not is_money_path(path) and set(x) & _VALUE_KEYS:
            where = (*path, "price_year")
            self.price_years.append(
                Problem(
                    doc.mark(where, key=True),
                    dotted(where),
                    "price_year is for money values only (an outcome's proxy, "
                    "costs.coordinator.salary, costs.lines.<id>.amount, "
                    f"volunteers.expenses_per_hour and value_per_hour); {dotted(path)} is "
                    "not money",
                )
            )
        if is_value and "value" not in x and not in_list:
            self.uncertain.append(dotted(path))


def _is_value_mapping(x: Any) -> bool:
    return isinstance(x, dict) and any(k in x for k in DISTRIBUTION_KEYS)


_DISTRIBUTION_KEYS = frozenset(DISTRIBUTION_KEYS)
_NESTED, _NUMBERS = (dict, list), (int, float)
#: Keys that only a value mapping has.
_VALUE_KEYS = {*DISTRIBUTION_KEYS, "source", "note", "evidence", "shared"}


def _fixed_number(x: Any) -> float | None:
    if isinstance(x, dict) and set(x) & _DISTRIBUTION_KEYS == {"value"}:
        x = x["value"]
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return float(x)
    return None


def _check_ramp(doc: Document, data: dict[str, Any]) -> Iterator[Problem]:
    delivery = data.get("delivery")
    if not isinstance(delivery, dict):
        return
    years = _fixed_number(delivery.get("years"))
    ramp = delivery.get("ramp")
    if years is None or not isinstance(ramp, list) or not float(years).is_integer():
        return
    if not 1 <= years <= MAX_DELIVERY_YEARS:
        return  # delivery.years is refused itself; its ramp cannot be judged
    if len(ramp) != int(years):
        n, where = int(years), ("delivery", "ramp")
        mark, set_at = doc.mark(where), doc.mark(("delivery", "years"))
        if set_at.file == doc.file != mark.file:
            # This file changed the years of a ramp it inherits: point here.
            yield Problem(
                set_at,
                dotted(where),
                f"expected {n} entries, one per delivery year (delivery.years is {n} here); "
                f"the ramp inherited from {mark.file}:{mark.line} has {len(ramp)}: give "
                f"delivery.ramp {n} entries in this file too",
            )
            return
        # Years written in another file than the ramp: say where.
        at = f", set at {set_at.file}:{set_at.line}" if set_at.file != mark.file else ""
        yield Problem(
            mark,
            dotted(where),
            f"expected {n} entries, one per delivery year (delivery.years is {n}{at}); "
            f"found {len(ramp)}",
        )


def uncertain_paths(data: dict[str, Any]) -> list[str]:
    """Dotted paths of every uncertain value written in ``data`` (outside
    ``sources`` and lists), in file order."""
    return _Walk(Document("", data), data).uncertain


def _check_correlations(
    doc: Document, data: dict[str, Any], candidates: list[str]
) -> Iterator[Problem]:
    entries = data.get("correlations")
    if not isinstance(entries, list):
        return
    pairs: dict[frozenset[str], tuple[float, Path_]] = {}
    # Whether every entry is sound: only then can the matrix of them all be
    # judged; one left out could make the rest look as if they cannot hold.
    sound = True
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            sound = False
            continue
        between = entry.get("between")
        if not isinstance(between, list) or len(between) != 2:
            sound = False
            continue
        ok = True
        for j, target in enumerate(between):
            where: Path_ = ("correlations", i, "between", j)
            if not isinstance(target, str):
                ok = False  # field validation reports it
                continue
            problem = _correlation_target(data, target, candidates)
            if problem:
                ok = False
                yield Problem(doc.mark(where), dotted(where), problem)
        if ok and between[0] == between[1]:
            ok = False
            where = ("correlations", i, "between")
            yield Problem(
                doc.mark(where),
                dotted(where),
                f"a value cannot be correlated with itself; found {between[0]!r} twice",
            )
        rank = entry.get("rank")
        if not ok or not isinstance(rank, (int, float)) or isinstance(rank, bool):
            sound = False
            continue
        if not (math.isfinite(rank) and -1 <= rank <= 1):
            sound = False
            continue
        pair = frozenset(between)
        if pair in pairs:
            sound = False
            where = ("correlations", i)
            yield Problem(
                doc.mark(where),
                dotted(where),
                f"the correlation between {between[0]} and {between[1]} is already given "
                f"at {dotted(pairs[pair][1])}",
            )
            continue
        pairs[pair] = (float(rank), ("correlations", i))
    if pairs and sound:
        yield from _check_psd(doc, pairs)


def _correlation_target(data: dict[str, Any], target: str, candidates: list[str]) -> str | None:
    x: Any = data
    for part in target.split("."):
        if not isinstance(x, dict) or part not in x:
            return f"unknown value {target!r}{did_you_mean(target, candidates)}"
        x = x[part]
    if target.split(".")[-1] in _FIXED_ONLY:
        return f"{target} is always a fixed whole number; only uncertain values can be correlated"
    if _fixed_number(x) is not None:
        return f"{target} is a fixed value; only uncertain values can be correlated"
    if not _is_value_mapping(x):
        return f"{target} is not a numeric value; expected the path of an uncertain value"
    return None


def _check_psd(
    doc: Document, pairs: dict[frozenset[str], tuple[float, Path_]]
) -> Iterator[Problem]:
    names = sorted({n for pair in pairs for n in pair})
    ranks = {(a, b): r for (a, b), (r, _) in ((tuple(sorted(p)), v) for p, v in pairs.items())}
    rows = copula_rows(names, ranks)
    if is_positive_semidefinite(rows, _PSD_TOLERANCE):
        return
    # Only a matrix that fails needs numpy, for the eigenvalue the message gives.
    low = smallest_eigenvalue(rows)
    if low < -_PSD_TOLERANCE:
        where = ("correlations",)
        yield Problem(
            doc.mark(where, key=True),
            dotted(where),
            "these rank correlations cannot hold together: their correlation matrix is not "
            f"positive semi-definite (smallest eigenvalue {low:.3g}); loosen some of them",
        )


def _problem(doc: Document, path: Path_, message: str) -> Problem:
    return Problem(doc.mark(path), dotted(path), message)


def _limit_problems(scenario: Scenario, doc: Document) -> Iterator[Problem]:
    years = scenario.years
    if years > MAX_DELIVERY_YEARS:
        yield _problem(
            doc,
            ("delivery", "years"),
            f"expected at most {MAX_DELIVERY_YEARS} delivery years; found {years}",
        )
    longest: tuple[int, Path_] | None = None
    for oid, outcome in scenario.outcomes.items():
        lag = int(outcome.lag.central())
        top = outcome.duration.distribution().support()[1]
        if lag > MAX_LAG_YEARS:
            yield _problem(
                doc,
                ("outcomes", oid, "lag"),
                f"expected a lag of at most {MAX_LAG_YEARS} years; found {lag}",
            )
        if top > MAX_DURATION_YEARS:
            what = "found" if outcome.duration.is_fixed else "found a duration reaching"
            yield _problem(
                doc,
                ("outcomes", oid, "duration"),
                f"expected a duration of at most {MAX_DURATION_YEARS} years; {what} {top:g}",
            )
        if lag > MAX_LAG_YEARS or top > MAX_DURATION_YEARS:
            continue
        # The years past the last delivery year that this outcome reaches, as
        # the engine counts them (sroi.engine.model.horizon).
        if outcome.spread is not None:
            reach = lag + outcome.spread.start + outcome.spread.years - 1
            where: Path_ = ("outcomes", oid, "spread")
        else:
            reach = lag + math.ceil(top) if top > 0 else 0
            where = ("outcomes", oid, "duration")
        if longest is None or reach > longest[0]:
            longest = (reach, where)
    if longest is not None and years <= MAX_DELIVERY_YEARS:
        horizon = years + longest[0]
        if horizon > MAX_HORIZON_YEARS:
            yield _problem(
                doc,
                longest[1],
                f"the analysis horizon (delivery years + lag + duration or spread) would be "
                f"{horizon} years; expected at most {MAX_HORIZON_YEARS}",
            )


def _shown(x: float) -> str:
    """``x`` as a message shows it: short (``1e+13``) where that is exactly
    ``x``, else every digit needed (``1000000100000.0``, not ``1e+12``, which
    would read as within the limit); a whole number too large for a float by
    its count of digits."""
    if isinstance(x, int) and abs(x) > sys.float_info.max:
        return describe(x)
    short = f"{x:g}"
    return short if float(short) == x else repr(float(x))
