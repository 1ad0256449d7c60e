"""Monte Carlo runs in chunks, serially or across worker processes.

The unit of work, :func:`run_chunk`, is a pure function of (plan, first draw,
last draw): it rebuilds exactly those draws from the streams, so any
``concurrent.futures.Executor`` can run chunks in any order and the
concatenated result is the same bit for bit whatever the chunk size or the
number of workers.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np

from sroi.arguments import whole
from sroi.engine.accumulate import (
    CONDITIONS,
    STORE_BUDGET_BYTES,
    Moments,
    condition_counts,
    store_step,
    stored_indices,
)
from sroi.engine.chunking import automatic_chunk, check_chunk_size, stored_per_block
from sroi.engine.errors import ResultError
from sroi.engine.metrics import Metrics, ProgrammeSums, flow_metrics
from sroi.engine.model import Flows, compute, draws_in
from sroi.engine.model import horizon as scenario_horizon
from sroi.engine.outcomes import OutcomeSplit, split
from sroi.engine.paybacks import YearResults, year_results
from sroi.engine.precision import (
    BATCH,
    REPORTED_MIN_BATCHES,
    REPORTED_MIN_DRAWS,
    BatchMeans,
    BatchSums,
    Precision,
    check_precision,
    headline_draws,
)
from sroi.engine.store import Store
from sroi.limits import MAX_ENGINE_HORIZON_YEARS
from sroi.sampling.sampler import Inputs, ScenarioSampler, SharedDraws, with_sampler
from sroi.sampling.streams import BLOCK
from sroi.scenario.model import Scenario
from sroi.scenario.money import price_factors
from sroi.vocabulary import (
    METRICS,
    PAYERS,
    PERSPECTIVES,
    PROGRAMME,
    additive_metrics,
    metric_names,
    perspective_paybacks,
)

#: Draws per chunk where a run's chunk size is not left to
#: :func:`~sroi.engine.chunking.automatic_chunk`: one stream block, which
#: bounds the memory of per-year arrays and never splits a block between
#: chunks [draws].
DEFAULT_CHUNK = BLOCK
#: Draws between checks of the stopping rule of ``--precision`` [draws]: one
#: stream block, whatever the chunk size.
CHECK_EVERY = BLOCK


@dataclass(frozen=True)
class RunPlan:
    """Scenarios of one run, in id order, with their samplers.

    Build it with :meth:`RunPlan.build`; it is picklable.
    """

    scenarios: tuple[Scenario, ...]
    samplers: tuple[ScenarioSampler, ...]
    seed: int
    horizon: int = field(default=0)
    sampler: str = "random"
    #: Each scenario's :func:`~sroi.scenario.money.price_factors`, by id:
    #: worked out once, not for every chunk.
    prices: dict[str, dict[str, float]] = field(default_factory=dict)
    #: Perspectives whose returns also count as headline results (the run's
    #: own, e.g. ``("nhs",)``), besides the social, public-sector and
    #: cashable returns (:func:`~sroi.engine.precision.headline_draws`).
    returns: tuple[str, ...] = ()

    @classmethod
    def build(cls, scenarios: list[Scenario], seed: int, sampler: str = "random") -> RunPlan:
        """Sort ``scenarios`` by id (results do not depend on their order).

        ``sampler`` is how the draws are made: ``"random"`` (pseudo-random
        streams, the default), ``"sobol"`` or ``"lhs"``
        (:mod:`sroi.sampling.quasi`).
        """
        seed = whole("seed", seed, 0)
        ordered = tuple(sorted(scenarios, key=lambda s: s.id))
        built = [ScenarioSampler.build(s, seed) for s in ordered]
        samplers = tuple(with_sampler(built, sampler))
        width = max(scenario_horizon(s) for s in ordered)
        if width > MAX_ENGINE_HORIZON_YEARS:
            raise ValueError(
                f"the analysis horizon is {width} years; at most {MAX_ENGINE_HORIZON_YEARS} are "
                "supported (see sroi.limits)"
            )
        prices = {s.id: price_factors(s) for s in ordered}
        return cls(ordered, samplers, int(seed), width, sampler, prices)

    @property
    def ids(self) -> list[str]:
        """Scenario ids, in run order."""
        return [s.id for s in self.scenarios]


@dataclass(frozen=True)
class ChunkResult:
    """Mergeable partial summary of draws ``start .. stop-1``: the stored draws
    (every ``step``-th), condition counts, per-block moments when the chunk
    covers whole blocks (streaming mode), and each outcome's quantity and PV
    of the stored draws when asked for."""

    start: int
    stop: int
    stored: dict[str, Metrics]
    yearly: dict[str, np.ndarray]
    counts: dict[str, dict[str, int]]
    moments: dict[str, dict[str, Moments]] | None = None
    outcomes: dict[str, OutcomeSplit] | None = None
    profiles: dict[str, dict[str, np.ndarray]] | None = None
    batches: dict[str, BatchSums] | None = None


@dataclass(frozen=True)
class DrawSummary:
    """What a Monte Carlo run keeps of its draws, in bounded memory.

    draws : int
        Draws N.
    step : int
        Every ``step``-th draw is stored (1: all of them).
    moments : dict
        Name -> metric -> per-block :class:`~sroi.engine.accumulate.Moments`.
    counts : dict
        Name -> condition -> number of draws where it holds.
    stored : dict
        Name -> metric -> stored draws.
    yearly : dict
        Name -> cumulative discounted net position of the stored draws, per
        analysis year [currency], shape ``(stored draws, horizon)``.
    outcomes : dict or None
        Scenario id -> each outcome's quantity and PV in the stored draws
        (None unless the run was asked to keep them).
    profiles : dict or None
        Name -> payer -> undiscounted value per analysis year of every
        ``profile_step``-th draw [currency], float32, shape ``(kept, horizon)``
        (None unless the run was asked to keep outcomes).
    profile_step : int
        Every ``profile_step``-th draw is in ``profiles``.
    precision : Precision or None
        What the stopping rule achieved, or for a fixed number of draws the
        95% half-widths those draws give (:mod:`sroi.engine.precision`;
        ``inf`` where there are too few batches).
    """

    draws: int
    step: int
    moments: dict[str, dict[str, Moments]]
    counts: dict[str, dict[str, int]]
    stored: dict[str, Metrics]
    yearly: dict[str, np.ndarray]
    outcomes: dict[str, OutcomeSplit] | None = None
    profiles: dict[str, dict[str, np.ndarray]] | None = None
    profile_step: int = 1
    precision: Precision | None = None


def evaluate(
    plan: RunPlan, inputs: list[Inputs], first: int | None = None
) -> tuple[list[Flows], dict[str, Metrics]]:
    """Flows and metrics of every scenario and the programme for given inputs
    (one :data:`~sroi.sampling.sampler.Inputs` per scenario, in plan order).

    ``first`` is the run's number of the first draw of ``inputs``, for the
    message of a :class:`~sroi.engine.errors.ResultError`: -1 for the base
    case, None for settings that are not draws (a sensitivity analysis's).
    """
    flows: list[Flows] = []
    metrics: dict[str, Metrics] = {}
    programme = ProgrammeSums(plan.horizon, max(draws_in(x) for x in inputs), len(plan.scenarios))
    for s, x in zip(plan.scenarios, inputs, strict=True):
        f, _, m = _scenario(plan, s, x, programme, first=first)
        flows.append(f)
        metrics[s.id] = m
    metrics[PROGRAMME] = programme.metrics()
    return flows, metrics


def _scenario(
    plan: RunPlan,
    scenario: Scenario,
    x: Inputs,
    programme: ProgrammeSums,
    keep: slice | None = None,
    first: int | None = None,
) -> tuple[Flows, YearResults, Metrics]:
    """One scenario's flows, per-year results (with the cumulative net
    position of the draws ``keep``) and metrics, added to the
    ``programme``'s sums; ``first`` as in :func:`evaluate`."""
    # Arithmetic that overflows says so through check_finite, which names the
    # scenario, not through numpy's warnings.
    with np.errstate(all="ignore"):
        f = compute(scenario, x, plan.horizon, plan.prices.get(scenario.id))
        years = year_results(f, programme.years, keep)
        m = flow_metrics(f, years.paybacks)
    check_finite(scenario, x, f, m, first)
    programme.add(m, years.paybacks)
    return f, years, m


def check_finite(
    scenario: Scenario, x: Inputs, flows: Flows, metrics: Metrics, first: int | None
) -> None:
    """Raise :class:`~sroi.engine.errors.ResultError` when a count, cost or
    value of ``scenario`` is not a finite number in some draw.

    Ratios and payback years may be undefined (NaN) by design
    (docs/methodology.md §8); these may not.  A NaN value PV would otherwise
    count as neither above nor below a cost, and an infinite one as above
    every cost: probabilities, paybacks and rankings computed from it would
    look certain and mean nothing.  ``first`` is the draw number of the
    first of ``metrics``' draws (-1 for the base case, None when the inputs
    are not draws), to say where.
    """
    for key in additive_metrics():
        values = metrics[key]
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            break
    else:
        return
    name, _, part = key.partition(".")
    label = METRICS[name].label + (f" ({part.replace('_', ' ')})" if part else "")
    if first == -1:
        where = "in the base case (every value at its central value)"
    elif first is None:
        where = "with the values an analysis set"
    else:
        where = f"in draw {first + int(bad[0]):,} of the run (counting from 0)"
    x0 = float(values[bad[0]])
    found = "not a number (NaN)" if math.isnan(x0) else "infinite" if x0 > 0 else "minus infinity"
    cause = ""
    if name.startswith("value_pv") or name in ("public_value_pv", "npv"):
        pv = split(scenario, x, flows).pv  # each outcome apart, to say which
        culprits = [o for o, v in pv.items() if not np.all(np.isfinite(v))]
        if culprits:
            cause = "; it comes from " + ", ".join(f"outcomes.{o}" for o in culprits)
    raise ResultError(
        f"scenario {scenario.id!r}: its {label} is {found} {where}{cause}. Some value in "
        "the scenario is too extreme for floating-point arithmetic; results computed from "
        "it would mean nothing, so none are shown"
    )


def base_case(plan: RunPlan) -> tuple[dict[str, Flows], dict[str, Metrics]]:
    """Every value at its central value: flows and metrics (arrays of one draw)."""
    flows, metrics = evaluate(plan, [s.central() for s in plan.samplers], first=-1)
    return dict(zip(plan.ids, flows, strict=True)), metrics


def base_outcomes(plan: RunPlan, flows: dict[str, Flows]) -> dict[str, OutcomeSplit]:
    """Each outcome apart in the base case, per scenario id, from the base
    case's ``flows`` (:func:`base_case`)."""
    return {
        s.id: split(s, sampler.central(), flows[s.id])
        for s, sampler in zip(plan.scenarios, plan.samplers, strict=True)
    }


def evaluate_chunk(
    plan: RunPlan, start: int, stop: int
) -> tuple[list[Inputs], list[Flows], dict[str, Metrics]]:
    """Draws ``start .. stop-1``: sampled inputs and flows per scenario (plan
    order), and metrics per scenario id and ``"programme"`` with one value per
    draw.  A shared value is drawn once and given to every scenario."""
    shared: SharedDraws = {}
    inputs = [s.draws(start, stop, shared) for s in plan.samplers]
    flows, metrics = evaluate(plan, inputs, first=start)
    n = stop - start
    # A scenario whose values are all fixed is computed once (arrays of one
    # value); every draw of the chunk is that value.
    metrics = {
        name: {k: np.broadcast_to(v, (n,)) for k, v in m.items()} for name, m in metrics.items()
    }
    return inputs, flows, metrics


def run_chunk(
    plan: RunPlan,
    start: int,
    stop: int,
    step: int = 1,
    streaming: bool = False,
    outcomes: bool = False,
    profile_step: int = 1,
    batches: bool = False,
) -> ChunkResult:
    """Draws ``start .. stop-1`` of the run: the unit of (parallel) work.

    Keeps every ``step``-th draw; with ``streaming`` (the chunk covers whole
    blocks) it also returns per-block moments of every metric, with
    ``outcomes`` each outcome's quantity and PV in the kept draws and the
    value by payer and year of every ``profile_step``-th draw, and with
    ``batches`` the batch sums of the headline results
    (:mod:`sroi.engine.precision`), keyed ``"<name>:<result>"``.

    Scenarios are drawn and computed one at a time, and each is summarised
    before the next: the memory of per-year arrays is one scenario's plus the
    programme's sums, however many scenarios the run has.  A shared value is
    drawn once and given to every scenario.
    """
    n = stop - start
    keep = stored_indices(start, stop, step)
    shown = stored_indices(start, stop, profile_step)
    summary = _ChunkSummary(start, n, keep, streaming, batches, plan.returns)
    positions: dict[str, np.ndarray] = {}
    apart: dict[str, OutcomeSplit] | None = {} if outcomes else None
    profiles: dict[str, dict[str, np.ndarray]] | None = {} if outcomes else None
    shared: SharedDraws = {}
    programme = ProgrammeSums(plan.horizon, n, len(plan.scenarios))
    for s, sampler in zip(plan.scenarios, plan.samplers, strict=True):
        x = sampler.draws(start, stop, shared)
        f, years, m = _scenario(plan, s, x, programme, keep, first=start)
        summary.add(s.id, m)
        kept = years.positions
        assert kept is not None
        if f.draws == 1:  # inputs all fixed: one draw stands for every draw
            kept = np.broadcast_to(kept, (n, f.horizon))[keep]
        positions[s.id] = kept
        if apart is not None and profiles is not None:
            apart[s.id] = split(s, x, f).kept(n, keep)
            profiles[s.id] = _profiles(f, n, shown)
        del f, years, m, x
    summary.add(PROGRAMME, programme.metrics())
    positions[PROGRAMME] = np.asarray(sum(positions.values()))
    if profiles is not None:
        profiles[PROGRAMME] = {
            p: np.sum([profiles[sid][p] for sid in plan.ids], axis=0) for p in PAYERS
        }
    return ChunkResult(
        start,
        stop,
        summary.stored,
        positions,
        summary.counts,
        summary.moments,
        apart,
        profiles,
        summary.batches,
    )


class _ChunkSummary:
    """What a chunk keeps of each name's metrics (one value per draw, or one
    for every draw when its inputs are all fixed), so the metrics can go."""

    def __init__(
        self,
        start: int,
        n: int,
        keep: slice,
        streaming: bool,
        batches: bool,
        returns: tuple[str, ...] = (),
    ) -> None:
        self.start, self.n, self.keep, self.returns = start, n, keep, returns
        self.stored: dict[str, Metrics] = {}
        self.counts: dict[str, dict[str, int]] = {}
        self.moments: dict[str, dict[str, Moments]] | None = {} if streaming else None
        self.batches: dict[str, BatchSums] | None = {} if batches else None

    def add(self, name: str, metrics: Metrics) -> None:
        """Keep the stored draws, counts, moments and batch sums of ``name``."""
        m = {k: np.broadcast_to(v, (self.n,)) for k, v in metrics.items()}
        # Copies, not views: a view would keep every draw of the metric alive.
        self.stored[name] = {k: v[self.keep].copy() for k, v in m.items()}
        self.counts[name] = condition_counts(m)
        if self.moments is not None:
            self.moments[name] = {k: Moments.of(v, self.start) for k, v in m.items()}
        if self.batches is not None:
            for key, values in headline_draws(m, self.returns).items():
                self.batches[f"{name}:{key}"] = BatchSums.of(values, self.start)


def _profiles(flows: Flows, n: int, keep: slice) -> dict[str, np.ndarray]:
    """Undiscounted value by payer and year of the draws ``keep`` of ``n``,
    ``(kept, H)``, as float32."""
    out = {}
    for payer, ids in flows.payer_outcomes.items():
        if flows.draws == 1:
            one = flows.value_years(ids).T
            out[payer] = np.broadcast_to(one, (n, flows.horizon))[keep].astype(np.float32)
        else:
            out[payer] = flows.value_years(ids, keep).T.astype(np.float32)
    return out


def draw_bytes(plan: RunPlan) -> tuple[int, int]:
    """Bytes one stored draw takes [bytes]: its metrics and yearly position
    (every scenario and the programme, 64-bit), and its value profile by
    payer and year (32-bit)."""
    names = len(plan.ids) + 1
    return names * 8 * (len(flow_metric_names()) + plan.horizon), (
        names * len(PAYERS) * 4 * plan.horizon
    )


def chosen_chunk(
    plan: RunPlan, draws: int, workers: int = 1, budget: int = STORE_BUDGET_BYTES
) -> int:
    """Draws per chunk of a run given no chunk size, no precision target and
    no executor (:func:`~sroi.engine.chunking.automatic_chunk`) [draws]."""
    per_draw, profile_draw = draw_bytes(plan)
    work = max(per_draw, len(PERSPECTIVES) * 8 * plan.horizon)
    handed = stored_per_block(store_step(draws, per_draw, budget), per_draw)
    handed += stored_per_block(store_step(draws, profile_draw, budget // 4), profile_draw)
    return automatic_chunk(draws, workers, work, handed, budget)


def chunks(draws: int, chunk_size: int) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` ranges covering ``0 .. draws-1``."""
    for start in range(0, draws, chunk_size):
        yield start, min(start + chunk_size, draws)


def run_draws(
    plan: RunPlan,
    draws: int,
    *,
    chunk_size: int | None = None,
    workers: int = 1,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
    budget: int = STORE_BUDGET_BYTES,
    keep_outcomes: bool = False,
    precision: float | None = None,
) -> DrawSummary:
    """Run ``draws`` Monte Carlo draws and summarise them in bounded memory.

    With ``precision``, ``draws`` is a maximum: the run stops after the first
    chunk at which every headline result is within ``precision``
    (:mod:`sroi.engine.precision`), and :attr:`DrawSummary.draws` is the
    number of draws it took.  Its summary is that of a fixed run of that
    many draws: when the store had to be thinned for the maximum, the draws
    taken are run a second time to keep as many as such a run keeps.

    Parameters
    ----------
    plan : RunPlan
    draws : int
        Number of Monte Carlo draws N (>= 1).
    chunk_size : int, optional
        Draws per unit of work [draws]; rounded up to whole batches of
        :data:`~sroi.engine.precision.BATCH` draws, or to whole blocks when
        the draws do not all fit the store budget.  None (the default): one
        block with ``precision`` (the rule checks after every chunk) or an
        ``executor``, else :func:`~sroi.engine.chunking.automatic_chunk`.
    workers : int
        Worker processes when no ``executor`` is given (1: run here).
    executor : concurrent.futures.Executor, optional
        Runs the chunks (e.g. a cluster executor).
    progress : callable, optional
        Called with the number of draws done after each chunk.  When a
        precision run runs its draws a second time (above), a ``progress``
        with a ``restart(total, label)`` method (such as
        :class:`sroi.cli.progress.ProgressBar`) is restarted and counts the
        second pass from 0; one without is not called during it.
    budget : int
        Memory for stored draws [bytes]; see :mod:`sroi.engine.accumulate`.
    keep_outcomes : bool
        Also keep each outcome's quantity and PV for the stored draws (the
        same draws as the stored metrics, so the thinning step is the
        metrics'; they add 16 bytes per outcome and stored draw).
    precision : float, optional
        Target 95% half-width: relative for mean SROI ratios and returns,
        absolute for P(SROI ratio > 1); e.g. 0.01.
    """
    chunk_size = check_chunk_size(chunk_size)
    if draws < 1:
        raise ValueError(f"draws must be >= 1; found {draws}")
    if precision is not None:
        check_precision(precision)
    names = [*plan.ids, PROGRAMME]
    per_draw, profile_draw = draw_bytes(plan)
    step = store_step(draws, per_draw, budget)
    streaming = step > 1
    # Chunks of whole batches, so that every batch sum (the precision's
    # error) is added within one chunk, in one order, however the run is
    # cut; when streaming, of whole blocks.
    unit = BLOCK if streaming else BATCH
    asked_chunk, asked_executor = chunk_size, executor
    profile_step = store_step(draws, profile_draw, budget // 4)
    if chunk_size is None and (precision is not None or executor is not None):
        chunk_size = DEFAULT_CHUNK
    elif chunk_size is None:
        chunk_size = chosen_chunk(plan, draws, workers, budget)
    chunk_size = -(-chunk_size // unit) * unit
    ranges = list(chunks(draws, chunk_size))
    job = partial(_run_range, plan, step, streaming, keep_outcomes, profile_step)
    batch_means = BatchMeans()
    # Pseudo-random draws are independent: their error uses every draw.
    independent = plan.sampler == "random"
    method = "independent" if independent else "batch_means"
    achieved: dict[str, float] = {}
    counts = {name: dict.fromkeys(CONDITIONS, 0) for name in names}
    in_place = executor is None and workers > 1 and len(ranges) > 1 and _forks()
    store = Store.allocate(
        plan, draws, flow_metric_names(), step, profile_step, keep_outcomes, shared=in_place
    )
    block_moments: dict[str, dict[str, list[Moments]]] = {
        name: {k: [] for k in flow_metric_names()} for name in names
    }
    own = None
    if in_place:
        # Workers are forked with the plan and the shared store (nothing of
        # either is pickled) and return only counts, moments and batch sums.
        _prepare(plan)
        own = executor = ProcessPoolExecutor(
            max_workers=workers, initializer=_install, initargs=(plan, store)
        )
        job = partial(_run_range_in_place, step, streaming, keep_outcomes, profile_step)
    elif executor is None and workers > 1 and len(ranges) > 1:
        own = executor = ProcessPoolExecutor(max_workers=workers)
    taken: int | None = None
    try:
        mapped = executor.map(job, ranges) if executor is not None else map(job, ranges)
        done = 0
        for r in mapped:
            if not in_place:
                store.put(r)
            for name in names:
                for c, count in r.counts[name].items():
                    counts[name][c] += count
                if r.moments is not None:
                    for k, m in r.moments[name].items():
                        block_moments[name][k].append(m)
            done += r.stop - r.start
            if progress is not None:
                progress(done)
            if r.batches is not None:
                for key, sums in r.batches.items():
                    batch_means.add(key, sums)
            if precision is not None:
                before = done - (r.stop - r.start)
                taken, achieved = _first_met(
                    batch_means, before, done, draws, precision, independent, achieved
                )
                if taken is not None:
                    break
            # Let the chunk go before the next one is computed: it holds a
            # share of the stored draws as large as the store's own.
            del r
    finally:
        if own is not None:
            own.shutdown(cancel_futures=True)
    computed = done
    if taken is not None and taken < done:
        # The rule was met inside the last chunk (a chunk of more than
        # CHECK_EVERY draws): keep only the draws up to that point.
        done = taken
    if (
        precision is not None
        and done < draws
        and (done < computed or store_step(done, per_draw, budget) < step)
    ):
        # The store holds draws past the stopping point, or was thinned for
        # the maximum: run the draws taken again, as a fixed run of that many,
        # which keeps only them and more of them (the same draws, so the same
        # moments and counts).
        met = all(v <= precision for v in achieved.values())
        del store
        restart = getattr(progress, "restart", None)
        if restart is not None:
            restart(done, "second pass, to store the draws taken")
        again = run_draws(
            plan,
            done,
            chunk_size=asked_chunk,
            workers=workers,
            executor=asked_executor,
            progress=progress if restart is not None else None,
            budget=budget,
            keep_outcomes=keep_outcomes,
        )
        return replace(again, precision=Precision(precision, draws, met, achieved, method))
    stored, yearly, apart, profiles = store.stored, store.yearly, store.apart, store.profiles
    if precision is None:
        widths = batch_means.half_widths(
            done, REPORTED_MIN_BATCHES, independent=independent, min_draws=REPORTED_MIN_DRAWS
        )
        reached = Precision(None, draws, None, widths, method)
    else:
        met = all(v <= precision for v in achieved.values())
        reached = Precision(precision, draws, met, achieved, method)
        if done < draws:
            stored, yearly, apart = _first_stored(len(range(0, done, step)), stored, yearly, apart)
            if profiles is not None:
                shown = len(range(0, done, profile_step))
                profiles = {n: {p: v[:shown] for p, v in by.items()} for n, by in profiles.items()}
            draws = done
    if streaming:
        moments = {
            n: {k: Moments.concat(v) for k, v in m.items()} for n, m in block_moments.items()
        }
    else:
        moments = {n: {k: Moments.of(v, 0) for k, v in m.items()} for n, m in stored.items()}
    return DrawSummary(
        draws, step, moments, counts, stored, yearly, apart, profiles, profile_step, reached
    )


def _first_met(
    batch_means: BatchMeans,
    before: int,
    done: int,
    draws: int,
    precision: float,
    independent: bool,
    achieved: dict[str, float],
) -> tuple[int | None, dict[str, float]]:
    """Where the stopping rule is first met among the checkpoints after
    ``before`` and up to ``done`` draws, and the half-widths there; else None
    and the half-widths at the last checkpoint (``achieved`` when there was
    none).  The checkpoints are every :data:`CHECK_EVERY` draws and the
    maximum ``draws``, whatever the chunk size, so the chunk size never moves
    where a run stops (docs/methodology.md §12)."""
    points = list(range((before // CHECK_EVERY + 1) * CHECK_EVERY, done + 1, CHECK_EVERY))
    if done == draws and done not in points:
        points.append(done)
    for point in points:
        achieved = batch_means.half_widths(point, independent=independent)
        if all(v <= precision for v in achieved.values()):
            return point, achieved
    return None, achieved


def _first_stored(
    kept: int,
    stored: dict[str, Metrics],
    yearly: dict[str, np.ndarray],
    apart: dict[str, OutcomeSplit] | None,
) -> tuple[dict[str, Metrics], dict[str, np.ndarray], dict[str, OutcomeSplit] | None]:
    """The first ``kept`` stored draws of a run that stopped early."""
    stored = {n: {k: v[:kept] for k, v in m.items()} for n, m in stored.items()}
    yearly = {n: v[:kept] for n, v in yearly.items()}
    if apart is not None:
        apart = {
            sid: OutcomeSplit(
                part.driver,
                {o: v[:kept] for o, v in part.quantity.items()},
                {o: v[:kept] for o, v in part.pv.items()},
            )
            for sid, part in apart.items()
        }
    return stored, yearly, apart


def flow_metric_names() -> tuple[str, ...]:
    """Names of the per-draw metrics (split metrics as ``"a.b"``), then the
    payback year of each perspective but society's."""
    return (*metric_names(), *perspective_paybacks())


def _run_range(
    plan: RunPlan,
    step: int,
    streaming: bool,
    outcomes: bool,
    profile_step: int,
    span: tuple[int, int],
) -> ChunkResult:
    """One chunk of a run, with the batch sums every run's precision needs."""
    return run_chunk(plan, span[0], span[1], step, streaming, outcomes, profile_step, True)


#: The plan and store of the run whose pool this worker process belongs to,
#: set once per worker by the pool's initializer (:func:`_install`).
_WORKER: tuple[RunPlan, Store] | None = None


def _forks() -> bool:
    """Whether a new process pool forks its workers (the default start method
    on Linux up to Python 3.13): only then do they share the store's memory."""
    return multiprocessing.get_start_method() == "fork"


def _prepare(plan: RunPlan) -> None:
    """Draw the first draw of every scenario here, before the pool forks, so
    that its workers inherit the modules (scipy for correlations and
    quasi-random points) and the quantile tables that drawing needs, instead
    of each worker building its own on its first chunk."""
    shared: SharedDraws = {}
    for sampler in plan.samplers:
        sampler.draws(0, 1, shared)


def _install(plan: RunPlan, store: Store) -> None:
    """Pool initializer: keep the run's plan and shared store in this worker."""
    global _WORKER
    _WORKER = (plan, store)


def _run_range_in_place(
    step: int,
    streaming: bool,
    outcomes: bool,
    profile_step: int,
    span: tuple[int, int],
) -> ChunkResult:
    """:func:`_run_range` in a worker of the run's own pool: the kept draws go
    straight into the shared store, and only the summaries come back."""
    assert _WORKER is not None, "the pool's initializer did not run"
    plan, store = _WORKER
    r = _run_range(plan, step, streaming, outcomes, profile_step, span)
    store.put(r)
    return replace(r, stored={}, yearly={}, outcomes=None, profiles=None)
