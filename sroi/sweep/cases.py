"""The cases of a sweep: every base scenario × grid row × design.

A case is small and picklable: the base scenario, the overrides of its row
and design as written, and a hash of everything its numbers depend on.  The
case's scenario is built where the case runs (:func:`case_scenario`), so a
bad override fails that case only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sroi._version import __version__
from sroi.scenario import Scenario
from sroi.scenario.overrides import with_values
from sroi.sweep.inputs import Overrides


@dataclass(frozen=True)
class Case:
    """One case of a sweep.

    id : str
        ``base/area/design`` (parts that do not apply are left out).
    area : str
        Grid row name ("" without a grid).
    design : str
        Design name ("" without designs).
    base : Scenario
        The scenario the overrides apply to; the case keeps its id.
    row : Overrides or None
        The grid row.
    variant : Overrides or None
        The design.
    input_hash : str
        SHA-256 of the base, the row, every design (P(best) compares the
        designs), the draws, the seed and the sroi version: a case with the
        same id and hash has the same numbers.
    """

    id: str
    area: str
    design: str
    base: Scenario
    row: Overrides | None
    variant: Overrides | None
    input_hash: str

    @property
    def group(self) -> str:
        """The case id without its design: the cases of one area, compared
        draw by draw for P(best)."""
        return "/".join(p for p in (self.base.id, self.area) if p)

    @property
    def where(self) -> str:
        """Where the case is written, for messages (``grid.csv:4``)."""
        spot = self.row or self.variant
        return f"{spot.origin.file}:{spot.origin.line}" if spot else self.base.id


def case_scenario(case: Case) -> Scenario:
    """The case's scenario: the base with the row's values, then the design's
    (a design wins where both set a path).

    Raises
    ------
    ScenarioError
        With every problem, located in the grid or designs file.
    """
    scenario = case.base
    for spot in (case.row, case.variant):
        if spot is not None and spot.values:
            scenario = with_values(scenario, spot.values, origin=spot.origin, marks=spot.marks)
    return scenario


def plan_cases(
    bases: Sequence[Scenario],
    rows: Sequence[Overrides] | None,
    designs: Sequence[Overrides] | None,
    draws: int,
    seed: int,
) -> Iterator[Case]:
    """Every base × row × design, in that nesting order (the designs of one
    area are consecutive), lazily."""
    all_designs = [(d.name, d.values) for d in designs or ()]
    for base in bases:
        base_json = base.model_dump_json(exclude_none=True)
        for row in _or_none(rows):
            for variant in _or_none(designs):
                parts = [base.id, row.name if row else "", variant.name if variant else ""]
                digest = _hash(base_json, row, variant, all_designs, draws, seed)
                yield Case(
                    "/".join(p for p in parts if p),
                    parts[1],
                    parts[2],
                    base,
                    row,
                    variant,
                    digest,
                )


def _or_none(items: Sequence[Overrides] | None) -> Sequence[Overrides | None]:
    return list(items) if items else [None]


def _hash(
    base_json: str,
    row: Overrides | None,
    variant: Overrides | None,
    all_designs: list[tuple[str, dict[str, Any]]],
    draws: int,
    seed: int,
) -> str:
    payload = {
        "base": base_json,
        "row": row.values if row else None,
        "design": variant.values if variant else None,
        "designs": all_designs,
        "draws": draws,
        "seed": seed,
        "sroi": __version__,
    }
    text = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
