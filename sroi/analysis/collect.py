"""The draw collector every Monte Carlo analysis shares.

An analysis is two steps, as in SALib: collect the draws once
(:func:`collect`), then hand the arrays to estimators that never run the
model (the ``*_of`` and estimator functions of :mod:`sroi.analysis.compare`
and :mod:`sroi.analysis.voi`).  The collector walks a run's draws chunk by
chunk and keeps only what it is asked for: per-draw metrics, the sampled
inputs of the uncertain values, and per-draw quantities read off each
scenario's flows (value to a payer by some year, say).  The draws are those
of :func:`sroi.run` with the same scenarios and seed, bit for bit: the same
:class:`RunPlan`, the same streams, the same
:func:`~sroi.engine.runner.evaluate`.

Designed experiments (one-way, break-even, Sobol') evaluate chosen settings
rather than random draws; :class:`~sroi.analysis.subject.Subject` collects
those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sroi._version import __version__
from sroi.engine.chunking import check_chunk_size
from sroi.engine.metrics import Metrics
from sroi.engine.model import Flows
from sroi.engine.runner import DEFAULT_CHUNK, RunPlan, chunks, evaluate_chunk
from sroi.results.load import ScenarioLike, load_run
from sroi.results.perspective import with_perspectives
from sroi.results.run_info import DEFAULT_SAMPLER, RunInfo, ScenarioInfo
from sroi.sampling.quasi import warn_sobol_draws
from sroi.sampling.sampler import Inputs
from sroi.scenario import Scenario
from sroi.scenario.discover import PathError
from sroi.vocabulary import PROGRAMME

#: Per-draw quantities read off one scenario's flows: ``(flows, n) -> name ->
#: array of n`` (``flows`` may hold one row when nothing in it is uncertain).
FlowReader = Callable[[Flows, int], dict[str, np.ndarray]]


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
    return _load(items)[0]


def load_with_info(
    items: ScenarioLike | Sequence[ScenarioLike], files: Mapping[str, str] | None = None
) -> tuple[list[Scenario], list[ScenarioInfo]]:
    """:func:`load_scenarios`, with each scenario's :class:`ScenarioInfo`
    (its file and SHA-256) for the run's :class:`RunInfo`; ``files`` maps the
    id of a loaded scenario to its file."""
    return _load(items, files)


def _load(
    items: ScenarioLike | Sequence[ScenarioLike], files: Mapping[str, str] | None = None
) -> tuple[list[Scenario], list[ScenarioInfo]]:
    try:
        scenarios, infos = load_run(items, files)
    except PathError as exc:
        raise ValueError(str(exc)) from None
    if not scenarios:
        raise ValueError("no scenarios given")
    return scenarios, infos


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


@dataclass(frozen=True)
class Draws:
    """What :func:`collect` kept of a run's draws; every array holds one value
    per draw, in draw order.

    run : RunInfo
        Version, seed, draws and the scenarios (in id order).
    names : dict
        Scenario id -> display name, in id order.
    metrics : dict
        Scenario id and ``"programme"`` -> metric -> per-draw values [its unit].
    inputs : list of dict
        Per scenario (id order): dotted path of each uncertain value -> its
        sampled values [its unit] (empty unless asked for).
    flows : dict
        Scenario id -> name -> per-draw values returned by ``read`` (empty
        unless asked for).
    """

    run: RunInfo
    names: dict[str, str]
    metrics: dict[str, dict[str, np.ndarray]]
    inputs: list[dict[str, np.ndarray]]
    flows: dict[str, dict[str, np.ndarray]]

    @property
    def ids(self) -> list[str]:
        """Scenario ids, in run (id) order."""
        return list(self.names)


def collect(
    items: ScenarioLike | Sequence[ScenarioLike],
    draws: int,
    seed: int,
    metrics: Sequence[str],
    *,
    inputs: bool = False,
    read: FlowReader | None = None,
    chunk_size: int | None = DEFAULT_CHUNK,
    files: Mapping[str, str] | None = None,
    sampler: str = DEFAULT_SAMPLER,
    before: Callable[[Sequence[Scenario]], None] | None = None,
) -> Draws:
    """Run ``draws`` draws of the scenarios named by ``items`` and keep the
    ``metrics`` of every scenario and of the programme, the sampled uncertain
    inputs (with ``inputs``) and what ``read`` takes from each scenario's flows.
    ``files`` maps the id of a loaded scenario to its file, for the run's
    :class:`RunInfo`; ``sampler`` is how the draws are made (as for
    :func:`sroi.run`).  ``chunk_size`` is draws per chunk [draws]; None is
    :data:`~sroi.engine.runner.DEFAULT_CHUNK`.  ``before`` is called with the
    loaded scenarios before any draw, to refuse options that depend on them.

    Raises the errors of :func:`load_scenarios` and of ``before``, and
    ``ValueError`` for a ``chunk_size`` that is not a whole number >= 1.

    Examples
    --------
    >>> d = collect("scenarios/family_action_pss/oxford.yaml", 50, 1, ["npv"], inputs=True)
    >>> d.ids, d.metrics["oxford"]["npv"].shape, d.run.draws
    (['oxford'], (50,), 50)
    >>> d.inputs[0]["effect.relative_risk"].shape
    (50,)
    """
    chunk_size = check_chunk_size(chunk_size) or DEFAULT_CHUNK
    loaded, infos = _load(items, files)
    if before is not None:
        before(loaded)
    plan = RunPlan.build(loaded, seed, sampler)
    warn_sobol_draws(sampler, draws)
    order = {sid: i for i, sid in enumerate(plan.ids)}
    infos.sort(key=lambda info: order[info.id])
    names = [*plan.ids, PROGRAMME]
    uncertain = [s.uncertain_paths() if inputs else [] for s in plan.samplers]
    kept: dict[str, dict[str, list[np.ndarray]]] = {k: {m: [] for m in metrics} for k in names}
    raw: list[dict[str, list[float | np.ndarray]]] = [{p: [] for p in u} for u in uncertain]
    read_parts: dict[str, dict[str, list[np.ndarray]]] = {sid: {} for sid in plan.ids}
    sizes: list[int] = []
    for chunk in walk(plan, draws, chunk_size):
        n = chunk.stop - chunk.start
        sizes.append(n)
        for name in names:
            got = chunk.metrics[name]
            if any(m not in got for m in metrics):
                got = with_perspectives(got)
            for m in metrics:
                kept[name][m].append(got[m])
        for i, given in enumerate(chunk.inputs):
            for path in uncertain[i]:
                raw[i][path].append(given[path])
        if read is not None:
            for sid, flows in zip(plan.ids, chunk.flows, strict=True):
                for key, values in read(flows, n).items():
                    read_parts[sid].setdefault(key, []).append(values)
    return Draws(
        run=RunInfo(int(seed), int(draws), tuple(infos), __version__, sampler),
        names={s.id: s.name for s in plan.scenarios},
        metrics={k: {m: np.concatenate(v) for m, v in d.items()} for k, d in kept.items()},
        inputs=[{p: concat(v, sizes) for p, v in r.items()} for r in raw],
        flows={sid: {k: np.concatenate(v) for k, v in d.items()} for sid, d in read_parts.items()},
    )
