"""Load scenarios and walk a run's draws chunk by chunk, inputs and flows included.

:func:`sroi.run` keeps per-draw metrics only.  Value of information needs the
sampled inputs of each draw, and payer comparisons need per-year value by
payer; both come from here.  The draws are those of :func:`sroi.run` with the
same scenarios and seed, bit for bit: the same :class:`RunPlan`, the same
streams, the same :func:`~sroi.engine.runner.evaluate`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from sroi.engine.metrics import Metrics
from sroi.engine.model import Flows
from sroi.engine.runner import DEFAULT_CHUNK, RunPlan, chunks, evaluate_chunk
from sroi.results.load import ScenarioLike, load_run
from sroi.sampling.sampler import Inputs
from sroi.scenario import Scenario
from sroi.scenario.discover import PathError


def load_scenarios(items: ScenarioLike | Sequence[ScenarioLike]) -> list[Scenario]:
    """Scenarios named by files, folders (every ``*.yaml`` below, except ``_*``)
    or given as :class:`Scenario` objects, loaded as :func:`sroi.run` loads them.

    Raises
    ------
    ScenarioError
        With every problem in every file, and for scenarios that cannot run
        together (ids used twice, different currencies or price years, ...).
    ValueError
        When a path names no scenario file, or nothing is given.
    """
    try:
        scenarios, _ = load_run(items)
    except PathError as exc:
        raise ValueError(str(exc)) from None
    if not scenarios:
        raise ValueError("no scenarios given")
    return scenarios


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
        inputs, flows, metrics = evaluate_chunk(plan, start, stop)
        yield Chunk(start, stop, inputs, flows, metrics)


def concat(parts: list[np.ndarray] | list[float | np.ndarray], sizes: list[int]) -> np.ndarray:
    """Join per-chunk values (a float stands for every draw of its chunk)."""
    return np.concatenate(
        [
            np.broadcast_to(np.asarray(p, dtype=np.float64), (n,))
            for p, n in zip(parts, sizes, strict=True)
        ]
    )
