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
from sroi.scenario import Scenario, ScenarioError, load_scenario
from sroi.scenario.discover import scenario_files
from sroi.scenario.together import check_together

ScenarioLike = str | os.PathLike[str] | Scenario


def _sha256(file: str) -> str:
    return hashlib.sha256(Path(file).read_bytes()).hexdigest()


def _load(
    items: Sequence[ScenarioLike], files: Mapping[str, str]
) -> tuple[list[Scenario], list[ScenarioInfo]]:
    scenarios, infos = [], []
    expanded: list[ScenarioLike] = []
    for item in items:
        if not isinstance(item, Scenario) and Path(item).is_dir():
            expanded.extend(scenario_files([str(item)]))
        else:
            expanded.append(item)
    for item in expanded:
        if isinstance(item, Scenario):
            scenario = item
            file = files.get(item.id)
            digest = _sha256(file) if file else None
        else:
            scenario = load_scenario(item)
            file = str(item)
            digest = _sha256(file)
        scenarios.append(scenario)
        infos.append(
            ScenarioInfo(
                scenario.id, scenario.name, file, digest, scenario.currency, scenario.price_year
            )
        )
    problems = check_together([(info.file, s) for info, s in zip(infos, scenarios, strict=True)])
    if problems:
        raise ScenarioError(problems)
    return scenarios, infos


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
        Fixes every random number (spec §4).
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
    if isinstance(scenarios, (str, os.PathLike, Scenario)):
        scenarios = [scenarios]
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 0:
        raise ValueError(f"draws must be a whole number >= 0; found {draws!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0; found {seed!r}")
    loaded, infos = _load(scenarios, files or {})
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
