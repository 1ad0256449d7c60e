"""The tidy long table of a sweep: one row per case, scenario, metric and statistic.

Rows are read off the JSON document of ``sroi run --json``
(:func:`sroi.results.document.document`), so every metric and statistic it
holds, today's and any added later, becomes rows without a change here:

* ``base_case.M`` -> metric ``M``, statistic ``base_case``;
* ``monte_carlo.M.S`` -> metric ``M``, statistic ``S`` (mean, sd, p5, ...);
* split metrics (``value_pv_by_payer.nhs``) keep their dotted name;
* any other number of an entry (``prob_sroi_above_1``) -> statistic
  ``estimate``.

An entry's other mappings (``headline``, ``returns``), which restate these
numbers by perspective, are left out, and so is the run's ``precision``.

``perspective`` and ``price_year`` come from the document's header (or the
scenario entry) when the document has them, and are empty otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

#: Output columns, in order.
COLUMNS = (
    "case",
    "area",
    "design",
    "scenario",
    "metric",
    "statistic",
    "value",
    "perspective",
    "price_year",
    "input_hash",
    "error",
)
#: Statistic name of a base-case value.
BASE_CASE = "base_case"
#: Statistic name of a number read directly off the draws (a probability).
ESTIMATE = "estimate"
#: Keys of a scenario entry that describe it rather than measure it.
_DESCRIPTIVE = frozenset(
    {"id", "name", "file", "sha256", "currency", "price_year", "perspective", "scenarios"}
)


class Row(NamedTuple):
    """One row of the sweep table (see :data:`COLUMNS`).

    value : float or None
        In the unit of the metric (money in the scenario's currency at
        ``price_year`` prices); None where the run gives none (NaN).
    error : str or None
        Why the case failed; None on rows of a case that ran.
    """

    case: str
    area: str
    design: str
    scenario: str
    metric: str
    statistic: str
    value: float | None
    perspective: str | None
    price_year: int | None
    input_hash: str
    error: str | None


def measures(entry: Mapping[str, Any]) -> Iterator[tuple[str, str, float | None]]:
    """``(metric, statistic, value)`` for every number of one document entry's
    ``base_case`` and ``monte_carlo``, and every number of the entry itself.

    >>> for m in measures({"base_case": {"npv": 5.0, "by": {"a": 1.0}},
    ...                    "monte_carlo": {"npv": {"mean": 4.0}}, "prob_x": 0.5}):
    ...     print(m)
    ('npv', 'base_case', 5.0)
    ('by.a', 'base_case', 1.0)
    ('npv', 'mean', 4.0)
    ('prob_x', 'estimate', 0.5)
    """
    for key, value in entry.items():
        if key in _DESCRIPTIVE:
            continue
        if key == BASE_CASE and isinstance(value, Mapping):
            for metric, number in _leaves(value, ""):
                yield metric, BASE_CASE, number
        elif key == "monte_carlo" and isinstance(value, Mapping):
            for path, number in _leaves(value, ""):
                metric, _, statistic = path.rpartition(".")
                yield metric, statistic, number
        elif _is_number(value):
            yield key, ESTIMATE, value


def _is_number(x: Any) -> bool:
    return x is None or (isinstance(x, (int, float)) and not isinstance(x, bool))


def _leaves(tree: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, float | None]]:
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            yield from _leaves(value, path)
        elif _is_number(value):
            yield path, None if value is None else float(value)


def document_rows(
    document: Mapping[str, Any], case: str, area: str, design: str, input_hash: str
) -> list[Row]:
    """Rows of every scenario entry of a run's JSON document.

    The programme entry is left out when the run has one scenario (it
    repeats that scenario's numbers).
    """
    entries = list(document["scenarios"])
    if len(entries) > 1:
        entries.append(document["programme"])
    out = []
    for entry in entries:
        perspective = entry.get("perspective", document.get("perspective"))
        price_year = document.get("price_year", entry.get("price_year"))
        for metric, statistic, value in measures(entry):
            out.append(
                Row(
                    case,
                    area,
                    design,
                    entry["id"],
                    metric,
                    statistic,
                    value,
                    perspective,
                    price_year,
                    input_hash,
                    None,
                )
            )
    return out


def failure_row(
    case: str, area: str, design: str, scenario: str, input_hash: str, message: str
) -> Row:
    """The one row that records a failed case."""
    return Row(case, area, design, scenario, "", "", None, None, None, input_hash, message)
