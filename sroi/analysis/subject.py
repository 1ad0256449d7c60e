"""What a sensitivity analysis studies, and the model evaluated with values moved.

A :class:`Subject` is the scenarios under analysis, whose metric is read
(one scenario's, or the programme's when several are given), and the
:class:`~sroi.analysis.factors.Factor` s that may move.  Its methods evaluate
the engine on many settings at once: each setting is a row (a "draw") of one
:func:`~sroi.engine.runner.evaluate` call, every value not moved at its
central value.

An outcome duration's declared support fixes how many years the engine
follows the outcome, so moving a duration beyond it (a fixed duration of 1
moved to 1.2) evaluates on a copy of the scenario whose duration support is
widened to the next whole year; results are otherwise unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from sroi.analysis.collect import ScenarioLike, load_with_info
from sroi.analysis.factors import Factor, factors
from sroi.engine.metrics import Metrics
from sroi.engine.runner import RunPlan, evaluate
from sroi.results.perspective import check_perspective, with_perspectives
from sroi.results.run_info import DEFAULT_SAMPLER, RunInfo, ScenarioInfo
from sroi.sampling.parameters import parameters
from sroi.sampling.sampler import Inputs
from sroi.scenario.model import Scenario
from sroi.scenario.values import Value
from sroi.vocabulary import PROGRAMME, metric_names, perspective_metric_names

#: Rows per engine call: bounds the memory of per-year arrays [rows].
CHUNK = 8_192

#: A duration moved more than this beyond its declared support gets engine
#: calls of its own [years].
LONG = 2.0

#: Every metric name an analysis can read; split metrics as ``"value_pv_by_payer.nhs"``,
#: then each perspective's return, net value and payback year not among them
#: (``public_sector_npv``, ``nhs_roi``, ...).
METRICS: tuple[str, ...] = (*metric_names(), *perspective_metric_names())


class AnalysisError(ValueError):
    """A bad argument to an analysis (unknown metric, scenario, band, ...)."""


def check_metric(name: str, *, continuous: bool = False) -> str:
    """``name`` if it is a metric; with ``continuous``, not a payback year
    (a whole year that jumps, with no root or variance decomposition)."""
    if name not in METRICS:
        raise AnalysisError(f"unknown metric {name!r}; expected one of {', '.join(METRICS)}")
    if continuous and name.endswith("payback_year"):
        raise AnalysisError(f"{name} is a whole year that jumps; pick a continuous metric")
    return name


def perspective_metric(metric: str | None, perspective: str, kind: str = "ratio") -> str:
    """The metric an analysis reads: ``metric`` when given, else the
    perspective's return (``kind="ratio"``) or net value (``kind="net"``):
    ``sroi_ratio`` or ``npv`` for society, ``public_roi`` or
    ``public_sector_npv`` for the public sector, ...

    >>> perspective_metric(None, "nhs"), perspective_metric("users", "nhs")
    ('nhs_roi', 'users')
    """
    try:
        p = check_perspective(perspective)
    except ValueError as exc:
        raise AnalysisError(str(exc)) from None
    if metric is not None:
        return metric
    return p.ratio_metric if kind == "ratio" else p.net_metric


@dataclass(frozen=True)
class Subject:
    """Scenarios under analysis (in id order), the owner of the metric, and
    the values that move.  Build it with :meth:`Subject.build`."""

    scenarios: tuple[Scenario, ...]
    #: ``"programme"`` for several scenarios, else the scenario's id.
    target: str
    factors: tuple[Factor, ...]
    #: Each scenario's file and SHA-256, in the order of ``scenarios``.
    infos: tuple[ScenarioInfo, ...] = ()
    _plans: dict[frozenset[tuple[str, str, float]], RunPlan] = field(
        default_factory=dict, compare=False, repr=False
    )
    _central: list[dict[str, float]] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def build(
        cls,
        items: ScenarioLike | Sequence[ScenarioLike],
        scenario_id: str | None = None,
        files: Mapping[str, str] | None = None,
    ) -> Subject:
        """Load ``items``; keep only ``scenario_id`` when given.  ``files``
        maps the id of a loaded scenario to its file, for :meth:`run_info`."""
        loaded, infos = load_with_info(items, files)
        ordered = sorted(loaded, key=lambda s: s.id)
        if scenario_id is not None:
            chosen = [s for s in ordered if s.id == scenario_id]
            if not chosen:
                ids = ", ".join(s.id for s in ordered)
                raise AnalysisError(f"no scenario {scenario_id!r}; expected one of {ids}")
            ordered = chosen
        target = PROGRAMME if len(ordered) > 1 else ordered[0].id
        info = {i.id: i for i in infos}
        kept = tuple(info[s.id] for s in ordered)
        return cls(tuple(ordered), target, tuple(factors(ordered)), kept)

    def run_info(
        self,
        perspective: str,
        seed: int | None = None,
        draws: int = 0,
        sampler: str = DEFAULT_SAMPLER,
    ) -> RunInfo:
        """What identifies the analysis: its scenarios' files and hashes, the
        ``perspective``, and the ``seed`` and Monte Carlo ``draws`` [draws] it
        used (None and 0 for a designed experiment with no random numbers)."""
        return RunInfo(seed, draws, self.infos, sampler=sampler, perspective=perspective)

    @property
    def ids(self) -> list[str]:
        """Scenario ids, in id order."""
        return [s.id for s in self.scenarios]

    @property
    def title(self) -> str:
        """Display name: the scenario's name and id, or the programme."""
        if self.target == PROGRAMME:
            return f"Programme of {len(self.scenarios)} scenarios ({', '.join(self.ids)})"
        return f"{self.scenarios[0].name} [{self.target}]"

    @property
    def currency(self) -> str:
        """Currency of the money values (``"mixed"`` when scenarios differ)."""
        found = {s.currency for s in self.scenarios}
        return found.pop() if len(found) == 1 else "mixed"

    def base(self) -> dict[str, float]:
        """Every metric of the base case (all values central)."""
        return {k: float(v[0]) for k, v in self.run({}, 1).items()}

    def run(self, columns: dict[int, np.ndarray], n: int) -> Metrics:
        """Metrics of ``n`` settings: factor ``i`` takes ``columns[i]``, shape
        ``(members, n)``; every other value is central.  Arrays of ``n``."""
        widen: set[tuple[str, str, float]] = set()
        for i, values in columns.items():
            f = self.factors[i]
            if f.is_duration:
                tops = values.max(axis=1)
                for sid, dist, top in zip(f.members, f.distributions, tops, strict=True):
                    if top > dist.support()[1]:
                        widen.add((sid, f.path, float(math.ceil(top))))
        index = {sid: k for k, sid in enumerate(self.ids)}
        if not self._central:
            self._central.extend(
                {path: p.distribution.central() for path, p in parameters(s).items()}
                for s in self.scenarios
            )
        inputs: list[Inputs] = [dict(c) for c in self._central]
        for i, values in columns.items():
            f = self.factors[i]
            for j, sid in enumerate(f.members):
                inputs[index[sid]][f.path] = np.ascontiguousarray(values[j], dtype=np.float64)
        _, metrics = evaluate(self._plan(frozenset(widen)), inputs)
        mine = with_perspectives(metrics[self.target])
        return {k: np.broadcast_to(v, (n,)).copy() for k, v in mine.items()}

    def run_blocks(self, blocks: Sequence[tuple[int, np.ndarray]]) -> Metrics:
        """Metrics of stacked blocks of settings, in the order given.

        Block ``(i, values)`` moves factor ``i`` alone through the settings
        ``values``, shape ``(members, k)`` or ``(k,)`` (the same value in every
        member); its ``k`` rows follow the previous block's.
        """
        arrays = [self._rows(i, v) for i, v in blocks]
        sizes = [a.shape[1] for a in arrays]
        offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        out: Metrics = {}
        for chunk in self._chunks(blocks, arrays):
            n = sum(sizes[b] for b in chunk)
            columns: dict[int, np.ndarray] = {}
            pos = 0
            for b in chunk:
                i = blocks[b][0]
                if i not in columns:
                    columns[i] = np.repeat(self.factors[i].central()[:, None], n, axis=1)
                columns[i][:, pos : pos + sizes[b]] = arrays[b]
                pos += sizes[b]
            metrics = self.run(columns, n)
            if not out:
                out = {k: np.empty(int(offsets[-1])) for k in metrics}
            pos = 0
            for b in chunk:
                for k, v in metrics.items():
                    out[k][offsets[b] : offsets[b + 1]] = v[pos : pos + sizes[b]]
                pos += sizes[b]
        return out

    # ----------------------------------------------------------------- helpers

    def _rows(self, i: int, values: np.ndarray) -> np.ndarray:
        a = np.asarray(values, dtype=np.float64)
        return np.broadcast_to(
            a if a.ndim == 2 else a[None, :], (len(self.factors[i].members), a.shape[-1])
        )

    def _chunks(
        self, blocks: Sequence[tuple[int, np.ndarray]], arrays: list[np.ndarray]
    ) -> list[list[int]]:
        """Blocks grouped into engine calls of at most :data:`CHUNK` rows.

        A duration moved far beyond its declared support (break-even grids
        reach 100 years) lengthens the horizon of its whole call, so each such
        block gets calls of its own; everything else shares calls.
        """

        def key(b: int) -> int:
            i = blocks[b][0]
            f = self.factors[i]
            if not f.is_duration:
                return -1
            tops = [d.support()[1] for d in f.distributions]
            far = np.any(arrays[b].max(axis=1) > np.add(tops, LONG))
            return i if far else -1

        keys = [key(b) for b in range(len(blocks))]
        chunks: list[list[int]] = []
        rows, current = 0, None
        for b in sorted(range(len(blocks)), key=keys.__getitem__):
            k = arrays[b].shape[1]
            if not chunks or rows + k > CHUNK or keys[b] != current:
                chunks.append([])
                rows, current = 0, keys[b]
            chunks[-1].append(b)
            rows += k
        return chunks

    def _plan(self, widen: frozenset[tuple[str, str, float]]) -> RunPlan:
        if widen not in self._plans:
            self._plans[widen] = RunPlan.build([_widened(s, widen) for s in self.scenarios], 0)
        return self._plans[widen]


def _widened(scenario: Scenario, widen: frozenset[tuple[str, str, float]]) -> Scenario:
    """``scenario`` with the named outcome durations' support reaching ``high``
    years (only the support matters: every value is passed explicitly)."""
    tops: dict[str, float] = {}
    for sid, path, high in widen:
        if sid == scenario.id:
            oid = path.split(".")[1]
            tops[oid] = max(high, tops.get(oid, 0.0))
    if not tops:
        return scenario
    outcomes = dict(scenario.outcomes)
    for oid, high in tops.items():
        outcomes[oid] = outcomes[oid].model_copy(update={"duration": Value(value=high)})
    return scenario.model_copy(update={"outcomes": outcomes})
