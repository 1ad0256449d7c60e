"""Monte Carlo runs in chunks, serially or across worker processes.

The unit of work, :func:`run_chunk`, is a pure function of (plan, first draw,
last draw): it rebuilds exactly those draws from the streams, so any
``concurrent.futures.Executor`` can run chunks in any order and the
concatenated result is the same bit for bit whatever the chunk size or the
number of workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from sroi.engine.metrics import Metrics, cumulative_net, flow_metrics, programme_metrics
from sroi.engine.model import Flows, compute
from sroi.engine.model import horizon as scenario_horizon
from sroi.sampling.sampler import Inputs, ScenarioSampler
from sroi.scenario.model import Scenario

#: Key of the programme totals in every result mapping.
PROGRAMME = "programme"
#: Default draws per chunk: bounds the memory of per-year arrays [draws].
DEFAULT_CHUNK = 8_192


@dataclass(frozen=True)
class RunPlan:
    """Scenarios of one run, in id order, with their samplers.

    Build it with :meth:`RunPlan.build`; it is picklable.
    """

    scenarios: tuple[Scenario, ...]
    samplers: tuple[ScenarioSampler, ...]
    seed: int
    horizon: int = field(default=0)

    @classmethod
    def build(cls, scenarios: list[Scenario], seed: int) -> RunPlan:
        """Sort ``scenarios`` by id (results do not depend on their order)."""
        ordered = tuple(sorted(scenarios, key=lambda s: s.id))
        samplers = tuple(ScenarioSampler.build(s, seed) for s in ordered)
        width = max(scenario_horizon(s) for s in ordered)
        return cls(ordered, samplers, int(seed), width)

    @property
    def ids(self) -> list[str]:
        """Scenario ids, in run order."""
        return [s.id for s in self.scenarios]


@dataclass(frozen=True)
class ChunkResult:
    """Per-draw metrics of draws ``start .. stop-1`` for every scenario and the
    programme; optionally the cumulative net position per year."""

    start: int
    stop: int
    metrics: dict[str, Metrics]
    cumulative_net: dict[str, np.ndarray] | None = None


def evaluate(plan: RunPlan, inputs: list[Inputs]) -> tuple[list[Flows], dict[str, Metrics]]:
    """Flows and metrics of every scenario and the programme for given inputs
    (one :data:`~sroi.sampling.sampler.Inputs` per scenario, in plan order)."""
    flows = [compute(s, x, plan.horizon) for s, x in zip(plan.scenarios, inputs, strict=True)]
    per = [flow_metrics(f) for f in flows]
    metrics = dict(zip(plan.ids, per, strict=True))
    metrics[PROGRAMME] = programme_metrics(flows, per)
    return flows, metrics


def base_case(plan: RunPlan) -> tuple[dict[str, Flows], dict[str, Metrics]]:
    """Every value at its central value: flows and metrics (arrays of one draw)."""
    flows, metrics = evaluate(plan, [s.central() for s in plan.samplers])
    return dict(zip(plan.ids, flows, strict=True)), metrics


def run_chunk(plan: RunPlan, start: int, stop: int, keep_yearly: bool = False) -> ChunkResult:
    """Draws ``start .. stop-1`` of the run: the unit of (parallel) work."""
    flows, metrics = evaluate(plan, [s.draws(start, stop) for s in plan.samplers])
    yearly = None
    if keep_yearly:
        n = stop - start
        yearly = {
            i: np.broadcast_to(cumulative_net(f), (n, plan.horizon))
            for i, f in zip(plan.ids, flows, strict=True)
        }
        total = sum(yearly.values())
        yearly[PROGRAMME] = np.asarray(total)
    return ChunkResult(start, stop, metrics, yearly)


def chunks(draws: int, chunk_size: int) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` ranges covering ``0 .. draws-1``."""
    for start in range(0, draws, chunk_size):
        yield start, min(start + chunk_size, draws)


def run_draws(
    plan: RunPlan,
    draws: int,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    workers: int = 1,
    executor: Executor | None = None,
    keep_yearly: bool = False,
    progress: Callable[[int], None] | None = None,
) -> tuple[dict[str, Metrics], dict[str, np.ndarray] | None]:
    """All ``draws`` of the run, concatenated in draw order.

    Parameters
    ----------
    plan : RunPlan
    draws : int
        Number of Monte Carlo draws N.
    chunk_size : int
        Draws per unit of work [draws].
    workers : int
        Worker processes when no ``executor`` is given (1: run here).
    executor : concurrent.futures.Executor, optional
        Runs the chunks (e.g. a cluster executor).
    keep_yearly : bool
        Also return the cumulative net position per draw and year.
    progress : callable, optional
        Called with the number of draws done after each chunk.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1; found {chunk_size}")
    ranges = list(chunks(draws, chunk_size))
    job = partial(_run_range, plan, keep_yearly)
    results: list[ChunkResult] = []
    own = None
    if executor is None and workers > 1 and len(ranges) > 1:
        own = executor = ProcessPoolExecutor(max_workers=workers)
    try:
        mapped = executor.map(job, ranges) if executor is not None else map(job, ranges)
        done = 0
        for result in mapped:
            results.append(result)
            done += result.stop - result.start
            if progress is not None:
                progress(done)
    finally:
        if own is not None:
            own.shutdown(cancel_futures=True)
    names = [*plan.ids, PROGRAMME]
    metrics = (
        {
            name: {
                k: np.concatenate([r.metrics[name][k] for r in results])
                for k in results[0].metrics[name]
            }
            for name in names
        }
        if results
        else {}
    )
    yearly = None
    if keep_yearly and results:
        yearly = {
            name: np.concatenate([r.cumulative_net[name] for r in results if r.cumulative_net])
            for name in names
        }
    return metrics, yearly


def _run_range(plan: RunPlan, keep_yearly: bool, span: tuple[int, int]) -> ChunkResult:
    return run_chunk(plan, span[0], span[1], keep_yearly)
