"""Run a sweep: every case, on any pool, into one tidy table.

:func:`sweep` plans the cases, skips those already done (``resume``), runs
the rest a few at a time on the pool (:mod:`sroi.sweep.cluster`), and writes
each case's rows as soon as it finishes (:mod:`sroi.sweep.table`).  At most
a small window of cases is in flight, so memory depends on the chunk size
and the pool, not on the number of cases.

Every case runs its scenario under the sweep's one seed, and a case keeps
its base scenario's id, so a value at a given path draws from the same
stream in every case (common random numbers): differences between designs
are differences of design, not of noise.  A case's numbers are those of
``sroi run`` on that case's scenario alone, whatever the pool or row order.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from pathlib import Path

from sroi.arguments import whole
from sroi.engine.chunking import check_chunk_size
from sroi.engine.runner import DEFAULT_CHUNK
from sroi.files import check_outputs
from sroi.results.load import ScenarioLike, load_run
from sroi.scenario import Scenario
from sroi.scenario.loader import input_files
from sroi.sweep.cases import Case, plan_cases
from sroi.sweep.cluster import open_pool
from sroi.sweep.inputs import Overrides, read_designs, read_grid
from sroi.sweep.rows import Row
from sroi.sweep.table import CutShort, TableError, TableWriter, read_rows, table_format
from sroi.sweep.task import Outcome, Task, run_task


@dataclass(frozen=True)
class Failure:
    """A case that failed: its id, where it is written (``grid.csv:4``) and why."""

    case_id: str
    where: str
    message: str


@dataclass
class SweepReport:
    """What a sweep did.

    out : Path
        The table written.
    cases : int
        Cases planned.
    ran : int
        Cases run now (failed ones included).
    skipped : int
        Cases already in the output with the same inputs (``resume``).
    failures : list of Failure
        Cases that failed, in the order they finished.
    rows : int
        Rows in the table.
    interrupted : bool
        The sweep was stopped (Ctrl-C) before every case ran; the table holds
        the cases done so far.
    written : bool
        False when it was stopped before any case finished: the output was
        then left as it was (absent, or the old table).
    cut_line : int or None
        With ``resume``: the line where the old table was cut short part-way
        through a row (that row is left out and its case runs again).
    dropped : int
        With ``resume``: cases of the old table that are no longer planned
        (another grid or designs file); their rows are not kept.
    """

    out: Path
    cases: int = 0
    ran: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    rows: int = 0
    interrupted: bool = False
    written: bool = True
    cut_line: int | None = None
    dropped: int = 0


def count_cases(
    n_bases: int, grid: Sequence[Overrides] | None, designs: Sequence[Overrides] | None
) -> int:
    """Number of cases: bases × rows × designs (a missing grid or designs counts 1)."""
    return n_bases * max(len(grid or ()), 1) * max(len(designs or ()), 1)


def sweep(
    bases: ScenarioLike | Sequence[ScenarioLike],
    out: str | os.PathLike[str],
    *,
    grid: str | os.PathLike[str] | Sequence[Overrides] | None = None,
    designs: str | os.PathLike[str] | Sequence[Overrides] | None = None,
    draws: int = 10_000,
    seed: int = 0,
    chunk_size: int | None = DEFAULT_CHUNK,
    workers: int = 1,
    scheduler: str | None = None,
    resume: bool = False,
    progress: Callable[[int], None] | None = None,
) -> SweepReport:
    """Run every base × grid row × design case and write one tidy table.

    Parameters
    ----------
    bases : path, Scenario, or a sequence of them
        Base scenarios (files, folders or loaded scenarios).
    out : path
        Output table, ``.parquet`` or ``.csv`` (columns in
        :data:`sroi.sweep.rows.COLUMNS`).
    grid, designs : path or list of Overrides, optional
        Areas and designs (:mod:`sroi.sweep.inputs`); at least one.
    draws : int
        Monte Carlo draws per case N (0: base case only).
    seed : int
        One seed for every case.
    chunk_size : int, optional
        Draws per chunk within a case [draws]; bounds memory, not results.
        None: one block (16,384 draws), as by default.
    workers : int
        Worker processes when no ``scheduler`` is given.
    scheduler : str, optional
        ``local:K`` or a Dask scheduler address (:mod:`sroi.sweep.cluster`).
    resume : bool
        Keep the cases already in ``out`` whose id and input hash match, and
        run only the others.  A CSV table cut short part-way through its last
        row keeps its whole rows, and the case of the last of them runs again
        (with a ``UserWarning``).
    progress : callable, optional
        Called with the number of cases done (skipped ones included).

    Raises
    ------
    ScenarioError
        When a base, the grid or the designs file is invalid (no case runs).
    TableError
        With ``resume``, when ``out`` is not a sweep table or is damaged
        other than by a cut at its end (no case runs; the message names the
        line).
    OutputError
        When ``out`` cannot be written, or is one of the sweep's inputs: a
        base scenario file or a file it extends, the grid or the designs
        file (no case runs).
    """
    draws, seed = whole("draws", draws, 0), whole("seed", seed, 0)
    chunk_size = check_chunk_size(chunk_size) or DEFAULT_CHUNK
    _check_out(out, bases, grid, designs)
    table_format(out)
    loaded, _ = load_run(bases)
    rows = read_grid(grid) if isinstance(grid, (str, os.PathLike)) else grid
    variants = read_designs(designs) if isinstance(designs, (str, os.PathLike)) else designs
    if not rows and not variants:
        raise ValueError("a sweep needs a grid, designs, or both")
    report = SweepReport(Path(out), count_cases(len(loaded), rows, variants))
    done = _done(out, report) if resume and Path(out).exists() else {}
    cases = plan_cases(loaded, rows, variants, draws, seed)
    with TableWriter(out) as writer:
        if done:
            # An area is kept only when all its designs are done: P(best)
            # compares them draw by draw, so they run together.
            planned = list(plan_cases(loaded, rows, variants, draws, seed))
            kept = {
                c.id
                for group in _by_area(planned)
                if all(done.get(g.id) == g.input_hash for g in group)
                for c in group
            }
            report.dropped = len(set(done) - {c.id for c in planned})
            for batch in _batches(r for r in _whole_rows(out) if r.case in kept):
                writer.write(batch)
            report.skipped = len(kept)
            cases = (c for c in cases if c.id not in kept)
        if progress is not None and report.skipped:
            progress(report.skipped)
        tasks = (Task(group, draws, seed, chunk_size) for group in _by_area(cases))
        by_id: dict[str, Case] = {}
        kept_rows = writer.rows
        try:
            with open_pool(scheduler, workers) as pool:
                for outcome in _run(tasks, pool.executor, pool.slots, by_id):
                    writer.write(outcome.rows)
                    report.ran += 1
                    case = by_id.pop(outcome.case_id)
                    if outcome.error is not None:
                        report.failures.append(Failure(case.id, case.where, outcome.error))
                    if progress is not None:
                        progress(report.skipped + report.ran)
        except KeyboardInterrupt:
            report.interrupted = True
            if writer.rows == kept_rows:
                # Nothing new to keep: the old table stays as it was.
                report.written = False
                writer.discard()
        report.rows = writer.rows
    return report


def _check_out(
    out: str | os.PathLike[str],
    bases: ScenarioLike | Sequence[ScenarioLike],
    grid: object,
    designs: object,
) -> None:
    """Refuse an output that is one of the sweep's input files (given by path)."""
    items = [bases] if isinstance(bases, (str, os.PathLike, Scenario)) else bases
    paths = [b for b in items if isinstance(b, (str, os.PathLike))]
    named = [
        (what, path)
        for what, path in (("grid", grid), ("designs file", designs))
        if isinstance(path, (str, os.PathLike))
    ]
    check_outputs([("out", out)], input_files(paths), named_inputs=named)


def _by_area(cases: Iterable[Case]) -> Iterator[tuple[Case, ...]]:
    """Consecutive cases of the same area (its designs), as tuples."""
    group: list[Case] = []
    for case in cases:
        if group and case.group != group[0].group:
            yield tuple(group)
            group = []
        group.append(case)
    if group:
        yield tuple(group)


def _done(out: str | os.PathLike[str], report: SweepReport) -> dict[str, str]:
    """Case id -> input hash of the cases in ``out`` that ran without error.

    A table cut short part-way through its last row keeps its whole rows;
    the case of the last of them may have lost rows after it, so it runs
    again (a warning says so, and ``report.cut_line`` is set).  Any other
    damage stops the sweep before anything runs.
    """
    hashes: dict[str, str] = {}
    failed: set[str] = set()
    last: str | None = None
    try:
        for row in read_rows(out):
            if row.error is not None:
                failed.add(row.case)
            hashes.setdefault(row.case, row.input_hash)
            last = row.case
    except CutShort as cut:
        report.cut_line = cut.line
        rerun = f"; case {last} runs again, as its rows may go on past the cut" if last else ""
        warnings.warn(f"{cut}. The cut row is left out{rerun}", stacklevel=3)
        if last is not None:
            failed.add(last)
    except TableError as exc:
        what = str(exc).rstrip(".")
        raise TableError(
            f"{what}. A sweep cannot resume from a damaged table: run it again without "
            "--resume to start afresh (the table is then replaced), or restore the table"
        ) from None
    return {case: h for case, h in hashes.items() if case not in failed}


def _whole_rows(out: str | os.PathLike[str]) -> Iterator[Row]:
    """The rows of ``out`` read by :func:`_done`: those before a cut, if any."""
    with contextlib.suppress(CutShort):
        yield from read_rows(out)


def _batches(rows: Iterable[Row], size: int = 10_000) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _run(
    tasks: Iterable[Task], executor: Executor | None, slots: int, by_id: dict[str, Case]
) -> Iterator[Outcome]:
    """Outcomes of ``tasks`` as they finish, with at most a few in flight."""
    if executor is None:
        for task in tasks:
            by_id.update((c.id, c) for c in task.cases)
            yield from run_task(task)
        return
    window = 2 * slots + 2
    pending: set[Future[list[Outcome]]] = set()
    queue = iter(tasks)
    try:
        while True:
            while len(pending) < window:
                following = next(queue, None)
                if following is None:
                    break
                by_id.update((c.id, c) for c in following.cases)
                pending.add(executor.submit(run_task, following))
            if not pending:
                return
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield from future.result()
    finally:
        for future in pending:
            future.cancel()
