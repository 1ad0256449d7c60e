"""The Python entry point: :func:`run` scenarios and get :class:`~sroi.results.Results`."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path

from sroi import __version__
from sroi.engine.runner import DEFAULT_CHUNK, RunPlan, base_case, run_draws
from sroi.results.results import Results, ScenarioInfo
from sroi.scenario import Scenario, ScenarioError, check_file
from sroi.scenario.discover import scenario_files
from sroi.scenario.problems import Problem
from sroi.scenario.together import check_together

ScenarioLike = str | os.PathLike[str] | Scenario


def _sha256(file: str) -> str:
    return hashlib.sha256(Path(file).read_bytes()).hexdigest()


def load_run(
    items: ScenarioLike | Sequence[ScenarioLike], files: Mapping[str, str] | None = None
) -> tuple[list[Scenario], list[ScenarioInfo]]:
    """Load the scenarios of one run, with what identifies each.

    ``items`` are files, folders (every ``*.yaml`` below, except ``_*``) or
    loaded scenarios; ``files`` maps the id of a loaded scenario to the file
    it came from.  Every problem in every file is collected, then the
    scenarios are checked together (:mod:`sroi.scenario.together`).

    Raises
    ------
    ScenarioError
        With every problem found.
    PathError
        When a path names no scenario file.
    """
    if isinstance(items, (str, os.PathLike, Scenario)):
        items = [items]
    files = files or {}
    pairs: list[tuple[str | None, Scenario]] = []
    problems: list[Problem] = []
    for item in items:
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
    problems = check_together(pairs)
    if problems:
        raise ScenarioError(problems)
    infos = [
        ScenarioInfo(s.id, s.name, f, _sha256(f) if f else None, s.currency, s.price_year)
        for f, s in pairs
    ]
    return [s for _, s in pairs], infos


def run(
    scenarios: ScenarioLike | Sequence[ScenarioLike],
    draws: int = 10_000,
    seed: int = 0,
    *,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
    files: Mapping[str, str] | None = None,
) -> Results:
    """Run the base case and ``draws`` Monte Carlo draws of some scenarios.

    Parameters
    ----------
    scenarios : path, Scenario, or a sequence of them
        Scenario files, folders (every ``*.yaml`` below, except ``_`` files)
        or loaded scenarios; ids must be unique.  Results are
        in id order whatever the order given.
    draws : int
        Monte Carlo draws N; 0 computes the base case only.
    seed : int
        Fixes every random number (docs/methodology.md §11).
    workers : int
        Worker processes (results are identical for any number).
    chunk_size : int
        Draws per unit of work [draws]; bounds memory, not results.
    executor : concurrent.futures.Executor, optional
        Run chunks on this executor instead.
    progress : callable, optional
        Called with the number of draws done after each chunk.
    files : mapping, optional
        Scenario id -> the file a given ``Scenario`` was loaded from, so the
        results record its name and SHA-256.

    Examples
    --------
    >>> import sroi
    >>> results = sroi.run("scenarios/family_action_pss/oxford.yaml", draws=200, seed=1)
    >>> [s.id for s in results.scenarios]
    ['oxford']
    >>> results.base_value("npv") == results.base_value("npv", "oxford")
    True
    >>> sorted(results.summary().columns)
    ['metric', 'scenario', 'statistic', 'value']
    """
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 0:
        raise ValueError(f"draws must be a whole number >= 0; found {draws!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0; found {seed!r}")
    loaded, infos = load_run(scenarios, files)
    if not loaded:
        raise ValueError("no scenarios to run")
    plan = RunPlan.build(loaded, seed)
    base_flows, base = base_case(plan)
    order = {s.id: i for i, s in enumerate(plan.scenarios)}
    infos.sort(key=lambda info: order[info.id])
    summary = None
    if draws > 0:
        summary = run_draws(
            plan,
            draws,
            chunk_size=chunk_size,
            workers=workers,
            executor=executor,
            progress=progress,
        )
    return Results(__version__, int(seed), int(draws), tuple(infos), base, base_flows, summary)
