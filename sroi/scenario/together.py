"""Checks on the scenarios of one run taken together.

A run adds its scenarios into programme totals and draws shared values from
common streams, so the scenarios must agree on a few things:

* ids are unique;
* every money value is in the same currency and price year (totals add them);
* two shared values correlated with each other carry the same rank
  correlation in every scenario that has both (otherwise their draws could
  not be the same in every scenario).
"""

from __future__ import annotations

from collections.abc import Sequence

from sroi.scenario.loader import locate
from sroi.scenario.model import Scenario
from sroi.scenario.money import repricing_refused
from sroi.scenario.problems import Mark, Problem


def _where(file: str | None, at: tuple[str, ...]) -> Mark:
    return locate(file, at) if file else Mark("<scenario>", 1, 1)


def check_together(scenarios: Sequence[tuple[str | None, Scenario]]) -> list[Problem]:
    """Problems with running ``(file, scenario)`` pairs together (file may be None)."""
    problems: list[Problem] = []
    first: dict[str, str | None] = {}
    for file, s in scenarios:
        if s.id in first:
            problems.append(
                Problem(
                    _where(file, ("id",)),
                    "id",
                    f"scenario id {s.id!r} is already used by {first[s.id] or 'another scenario'}; "
                    "ids must be unique in a run",
                )
            )
        first.setdefault(s.id, file)
    if scenarios:
        problems.extend(_unlike_the_first(scenarios))
    problems.extend(_shared_correlations(scenarios))
    return problems


def _unlike_the_first(scenarios: Sequence[tuple[str | None, Scenario]]) -> list[Problem]:
    """A problem where each currency or price year unlike the first
    scenario's is written: one for a shared file that several scenarios
    extend, naming them, not one per scenario."""
    file0, s0 = scenarios[0]
    unlike: dict[tuple[str, Mark], tuple[object, list[str]]] = {}
    for file, s in scenarios[1:]:
        for key in ("currency", "price_year"):
            if getattr(s, key) != getattr(s0, key):
                where = _where(file, (key,))
                unlike.setdefault((key, where), (getattr(s, key), []))[1].append(file or s.id)
    problems = []
    for (key, where), (found, names) in unlike.items():
        hint = (
            "; to run or validate them together at one price year, pass "
            "--price-year YEAR (price_year= in Python)"
            if key == "price_year"
            else ""
        )
        elsewhere = [n for n in names if n != where.file]
        shown = ", ".join(elsewhere[:4]) + (
            f" and {len(elsewhere) - 4} more" if len(elsewhere) > 4 else ""
        )
        through = (
            f" (the value of {shown}, which extend{'s' if len(elsewhere) == 1 else ''} this file)"
            if elsewhere
            else ""
        )
        problems.append(
            Problem(
                where,
                key,
                f"expected {getattr(s0, key)} like {file0 or s0.id}, because programme totals "
                f"add money across scenarios; found {found}{through}{hint}",
            )
        )
    return problems


def check_repricing(scenarios: Sequence[tuple[str | None, Scenario]], year: int) -> list[Problem]:
    """Problems with putting ``(file, scenario)`` pairs at ``year`` prices
    (``--price-year``): money in another currency than the deflator table's
    cannot be converted (docs/methodology.md §4a)."""
    return [
        Problem(_where(file, ("currency",)), "currency", refused)
        for file, s in scenarios
        if (refused := repricing_refused(s, year)) is not None
    ]


def _shared_pairs(s: Scenario) -> dict[frozenset[str], float]:
    shared = {path for c in s.correlations for path in c.between if _is_shared(s, path)}
    return {frozenset(c.between): c.rank for c in s.correlations if set(c.between) <= shared}


def _is_shared(s: Scenario, path: str) -> bool:
    node: object = s
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
    return bool(getattr(node, "shared", False))


def _shared_correlations(scenarios: Sequence[tuple[str | None, Scenario]]) -> list[Problem]:
    problems = []
    seen: dict[frozenset[str], tuple[float | None, str]] = {}
    for file, s in scenarios:
        pairs = _shared_pairs(s)
        shared = {p for pair in pairs for p in pair}
        for pair, (rank, where) in seen.items():
            if pair <= shared | _declared_shared(s, pair) and pairs.get(pair) != rank:
                a, b = sorted(pair)
                problems.append(
                    Problem(
                        _where(file, ("correlations",)),
                        "correlations",
                        f"shared values {a} and {b} are correlated with rank {rank} in "
                        f"{where} but {pairs.get(pair)} here; shared values must carry the "
                        "same correlation in every scenario of a run",
                    )
                )
        for pair, rank in pairs.items():
            seen.setdefault(pair, (rank, file or s.id))
    return problems


def _declared_shared(s: Scenario, pair: frozenset[str]) -> set[str]:
    return {p for p in pair if _path_exists(s, p) and _is_shared(s, p)}


def _path_exists(s: Scenario, path: str) -> bool:
    node: object = s
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
        if node is None:
            return False
    return True
