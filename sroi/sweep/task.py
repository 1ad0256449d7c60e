"""The unit of work of a sweep: run one case, return its summary rows.

:func:`run_case` is a pure, top-level function of a :class:`Task`, so any
executor (in-process, a process pool, a Dask cluster) can run it, in any
order, more than once if a worker dies: the rows are the same every time.
Only the rows travel back, never the draws.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sroi.api import run
from sroi.scenario import ScenarioError
from sroi.sweep.cases import Case, case_scenario
from sroi.sweep.rows import Row, document_rows, failure_row


@dataclass(frozen=True)
class Task:
    """What a worker needs to run one case.

    draws : int
        Monte Carlo draws N (0: base case only).
    seed : int
        The sweep's seed; every case uses it, so values share streams.
    chunk_size : int
        Draws per chunk inside the case [draws]; bounds memory, not results.
    """

    case: Case
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


def run_case(task: Task) -> Outcome:
    """Build the case's scenario, run it and summarise it as rows.

    A bad override or an invalid value fails this case only; the error is
    recorded in its row.
    """
    case = task.case
    start = time.perf_counter()
    try:
        scenario = case_scenario(case)
        results = run(scenario, task.draws, task.seed, chunk_size=task.chunk_size)
    except (ScenarioError, ValueError) as exc:
        message = str(exc) or type(exc).__name__
        row = failure_row(case.id, case.area, case.design, case.base.id, case.input_hash, message)
        return Outcome(case.id, [row], message, time.perf_counter() - start)
    rows = document_rows(results.to_dict(), case.id, case.area, case.design, case.input_hash)
    return Outcome(case.id, rows, None, time.perf_counter() - start)
