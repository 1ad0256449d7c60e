"""Load the scenarios of one run, with the identity its results record."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from sroi.prices import check_price_year
from sroi.results.run_info import ScenarioInfo
from sroi.scenario import Scenario, ScenarioError, check_file
from sroi.scenario.discover import scenario_files
from sroi.scenario.money import with_price_year
from sroi.scenario.problems import Problem
from sroi.scenario.together import check_repricing, check_together

#: What a run accepts as scenarios: a file or folder path, or a loaded scenario.
ScenarioLike = str | os.PathLike[str] | Scenario


def _not_scenarios(found: object) -> str:
    shown = repr(found)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return (
        "scenarios: expected a scenario file or folder (str or os.PathLike), a Scenario, "
        f"or a list of them; found {type(found).__name__} {shown}"
    )


def sha256(file: str) -> str:
    """SHA-256 of a file's bytes, as 64 hex digits."""
    return hashlib.sha256(Path(file).read_bytes()).hexdigest()


def load_run(
    items: ScenarioLike | Sequence[ScenarioLike],
    files: Mapping[str, str] | None = None,
    price_year: int | None = None,
) -> tuple[list[Scenario], list[ScenarioInfo]]:
    """Load the scenarios of one run, with what identifies each.

    ``items`` are files, folders (every ``*.yaml`` below, except ``_*``) or
    loaded scenarios; ``files`` maps the id of a loaded scenario to the file
    it came from; ``price_year``, when given, re-expresses every scenario's
    money at that year's prices (:func:`~sroi.scenario.money.with_price_year`).
    Every problem in every file is collected, then the scenarios are checked
    together (:mod:`sroi.scenario.together`).

    Raises
    ------
    ScenarioError
        With every problem found.
    PathError
        When a path names no scenario file.
    TypeError
        When ``items`` or one of them is neither a path nor a Scenario (a
        number, bytes, a mapping, ...).
    """
    if isinstance(items, (str, os.PathLike, Scenario)):
        items = [items]
    elif isinstance(items, (bytes, Mapping)) or not isinstance(items, Iterable):
        raise TypeError(_not_scenarios(items))
    files = files or {}
    pairs: list[tuple[str | None, Scenario]] = []
    problems: list[Problem] = []
    for item in items:
        if not isinstance(item, (str, os.PathLike, Scenario)):
            raise TypeError(_not_scenarios(item))
        if isinstance(item, Scenario):
            pairs.append((files.get(item.id), item))
            continue
        for file in scenario_files([os.fspath(item)]):
            scenario, found = check_file(file)
            problems.extend(found)
            if scenario is not None:
                pairs.append((file, scenario))
    if problems:
        raise ScenarioError(problems)
    if price_year is not None:
        check_price_year(price_year)
        refused = check_repricing(pairs, price_year)
        if refused:
            raise ScenarioError(refused)
        pairs = [(f, with_price_year(s, price_year)) for f, s in pairs]
    problems = check_together(pairs)
    if problems:
        raise ScenarioError(problems)
    infos = [
        ScenarioInfo(s.id, s.name, f, sha256(f) if f else None, s.currency, s.price_year)
        for f, s in pairs
    ]
    return [s for _, s in pairs], infos
