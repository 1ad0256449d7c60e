"""Load scenarios and walk a run's draws chunk by chunk, inputs and flows included.

:func:`sroi.run` keeps per-draw metrics only.  Value of information needs the
sampled inputs of each draw, and payer comparisons need per-year value by
payer; both come from here.  The draws are those of :func:`sroi.run` with the
same scenarios and seed, bit for bit: the same :class:`RunPlan`, the same
streams, the same :func:`~sroi.engine.runner.evaluate`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from sroi.engine.metrics import Metrics
from sroi.engine.model import Flows
from sroi.engine.runner import DEFAULT_CHUNK, RunPlan, chunks, evaluate
from sroi.sampling.sampler import Inputs
from sroi.scenario import Scenario, ScenarioError, check_file
from sroi.scenario.discover import PathError, scenario_files
from sroi.scenario.problems import DOCUMENT, Mark, Problem

ScenarioLike = str | os.PathLike[str] | Scenario


def load_scenarios(items: ScenarioLike | Sequence[ScenarioLike]) -> list[Scenario]:
    """Scenarios named by files, folders (every ``*.yaml`` below, except ``_*``)
    or given as :class:`Scenario` objects.

    Raises
    ------
    ScenarioError
        With every problem in every file, and for ids used twice.
    ValueError
        When a path names no scenario file, or nothing is given.
    """
    if isinstance(items, (str, os.PathLike, Scenario)):
        items = [items]
    out: list[Scenario] = []
    problems: list[Problem] = []
    for item in items:
        if isinstance(item, Scenario):
            out.append(item)
            continue
        try:
            files = scenario_files([os.fspath(item)])
        except PathError as exc:
            raise ValueError(str(exc)) from None
        for file in files:
            scenario, found = check_file(file)
            problems.extend(found)
            if scenario is not None:
                out.append(scenario)
    ids = [s.id for s in out]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        message = f"scenario id {dup!r} appears more than once; ids must be unique in a run"
        problems.append(Problem(Mark("<run>", 1, 1), DOCUMENT, message))
    if problems:
        raise ScenarioError(problems)
    if not out:
        raise ValueError("no scenarios given")
    return out


@dataclass(frozen=True)
class Chunk:
    """Draws ``start .. stop-1`` of a run.

    inputs : list of Inputs
        Sampled values per scenario, in plan order (a float for a fixed value).
    flows : list of Flows
        Per-year results per scenario, in plan order (``n`` may be 1 when a
        scenario has no uncertain value).
    metrics : dict
        Per-draw metrics per scenario id and ``"programme"``, each an array of
        ``stop - start`` values.
    """

    start: int
    stop: int
    inputs: list[Inputs]
    flows: list[Flows]
    metrics: dict[str, Metrics]


def walk(plan: RunPlan, draws: int, chunk_size: int = DEFAULT_CHUNK) -> Iterator[Chunk]:
    """Every draw of the run in chunks, in draw order."""
    for start, stop in chunks(draws, chunk_size):
        inputs = [s.draws(start, stop) for s in plan.samplers]
        flows, metrics = evaluate(plan, inputs)
        n = stop - start
        full = {
            name: {k: np.broadcast_to(v, (n,)).copy() for k, v in m.items()}
            for name, m in metrics.items()
        }
        yield Chunk(start, stop, inputs, flows, full)


def concat(parts: list[np.ndarray] | list[float | np.ndarray], sizes: list[int]) -> np.ndarray:
    """Join per-chunk values (a float stands for every draw of its chunk)."""
    return np.concatenate(
        [
            np.broadcast_to(np.asarray(p, dtype=np.float64), (n,))
            for p, n in zip(parts, sizes, strict=True)
        ]
    )
