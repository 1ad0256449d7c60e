"""The unit of work of a sweep: run the cases of one area, return summary rows.

:func:`run_task` is a pure, top-level function of a :class:`Task`, so any
executor (in process, a process pool, a Dask cluster) can run it, in any
order, and again if a worker dies: the rows are the same every time.  Only
rows travel back, never draws.

A task holds the designs of one area.  Each case runs on its own, exactly as
``sroi run`` would run its scenario; then, because every case draws the same
random numbers (same seed, same scenario id), the designs are compared draw
by draw: P(best) is the share of draws in which a design has the highest
value of a metric (ties shared), written as statistic ``p_best``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from sroi._version import __version__
from sroi.engine.runner import RunPlan, base_case, run_draws
from sroi.results.load import load_run
from sroi.results.results import Results
from sroi.results.run_info import RunInfo
from sroi.scenario import Scenario, ScenarioError
from sroi.sweep.cases import Case, case_scenario
from sroi.sweep.rows import Row, document_rows, failure_row

#: Metrics compared across the designs of an area (higher is better); a
#: metric the run does not produce is left out.
BEST_METRICS = ("npv", "sroi_ratio", "public_roi")
#: Statistic name of P(best).
P_BEST = "p_best"


@dataclass(frozen=True)
class Task:
    """What a worker needs to run the cases of one area.

    cases : tuple of Case
        The area's designs (one case without designs).
    draws : int
        Monte Carlo draws N per case (0: base case only).
    seed : int
        The sweep's seed; every case uses it, so values share streams.
    chunk_size : int
        Draws per chunk inside a case [draws]; bounds memory, not results.
    """

    cases: tuple[Case, ...]
    draws: int
    seed: int
    chunk_size: int


@dataclass(frozen=True)
class Outcome:
    """What came back from one case.

    rows : list of Row
        Every metric and statistic, or one failure row.
    error : str or None
        Why the case failed (one located problem per line), else None.
    seconds : float
        Time the case took where it ran [s].
    """

    case_id: str
    rows: list[Row]
    error: str | None
    seconds: float


def run_task(task: Task) -> list[Outcome]:
    """Run every case of the task, then add P(best) rows across its designs.

    A bad override or an invalid value fails that case only; the error is
    recorded in its row.
    """
    outcomes = []
    draws: dict[str, dict[str, np.ndarray]] = {}
    for case in task.cases:
        start = time.perf_counter()
        try:
            scenario = case_scenario(case)
            results = run_scenario(scenario, task.draws, task.seed, task.chunk_size)
        except (ScenarioError, ValueError) as exc:
            message = str(exc) or type(exc).__name__
            row = failure_row(
                case.id, case.area, case.design, case.base.id, case.input_hash, message
            )
            outcomes.append(Outcome(case.id, [row], message, time.perf_counter() - start))
            continue
        rows = document_rows(results.to_dict(), case.id, case.area, case.design, case.input_hash)
        if task.draws > 0:
            per_draw = results.draw_metrics[scenario.id]
            draws[case.id] = {m: per_draw[m] for m in BEST_METRICS if m in per_draw}
        outcomes.append(Outcome(case.id, rows, None, time.perf_counter() - start))
        del results
    if len(draws) > 1:
        _add_p_best(outcomes, draws)
    return outcomes


def run_scenario(scenario: Scenario, draws: int, seed: int, chunk_size: int) -> Results:
    """Run one scenario as ``sroi.run(scenario, draws, seed)`` does, in this
    process: the base case and ``draws`` Monte Carlo draws [draws]."""
    loaded, infos = load_run(scenario)
    plan = RunPlan.build(loaded, seed)
    base_flows, base = base_case(plan)
    summary = run_draws(plan, draws, chunk_size=chunk_size) if draws > 0 else None
    info = RunInfo(int(seed), int(draws), tuple(infos), __version__)
    return Results(info, base, base_flows, summary, None, loaded=plan.scenarios)


def _add_p_best(outcomes: list[Outcome], draws: dict[str, dict[str, np.ndarray]]) -> None:
    """Append a ``p_best`` row per compared metric to each case that ran."""
    ids = list(draws)
    shared = set.intersection(*(set(d) for d in draws.values()))
    for metric in (m for m in BEST_METRICS if m in shared):
        shares = dict(zip(ids, p_best(np.vstack([draws[i][metric] for i in ids])), strict=True))
        for outcome in outcomes:
            if outcome.case_id in shares:
                value = float(shares[outcome.case_id])
                row = outcome.rows[0]._replace(metric=metric, statistic=P_BEST, value=value)
                outcome.rows.append(row)


def p_best(values: np.ndarray) -> np.ndarray:
    """Share of draws in which each option has the highest value.

    values : array, shape (options, draws)
        One row per option, one column per draw (the same random numbers in
        every row).  NaN (undefined) is never best; ties share the draw; a
        draw where every option is NaN counts for none.

    >>> p_best(np.array([[1.0, 5.0, 2.0, np.nan], [3.0, 5.0, 1.0, np.nan]])).tolist()
    [0.375, 0.375]
    """
    filled = np.where(np.isnan(values), -np.inf, values)
    top = filled.max(axis=0)
    winners = (filled == top) & np.isfinite(filled)
    counted = winners.sum(axis=0)
    share = np.divide(winners, counted, out=np.zeros(winners.shape), where=counted > 0)
    return share.sum(axis=1) / values.shape[1]
