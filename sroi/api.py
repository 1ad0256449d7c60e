"""The Python entry point: :func:`run` scenarios and get :class:`~sroi.results.Results`."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor

from sroi._version import __version__
from sroi.arguments import flag, function_or_none, whole
from sroi.engine.chunking import check_chunk_size
from sroi.engine.outcomes import OutcomeSplit, OutcomeValues
from sroi.engine.precision import check_precision, warn_too_few_draws
from sroi.engine.runner import RunPlan, base_case, base_outcomes, run_draws
from sroi.limits import MAX_DRAWS
from sroi.reports.headline import repr_html
from sroi.results.load import ScenarioLike, load_run
from sroi.results.perspective import check_perspective
from sroi.results.results import OutcomeInfo, Results, set_html_repr
from sroi.results.run_info import DEFAULT_PERSPECTIVE, DEFAULT_SAMPLER, RunInfo
from sroi.sampling.quasi import warn_sobol_draws
from sroi.scenario.loader import allow_folders
from sroi.scenario.model import Scenario

# Results drawn in a notebook show the headline table of the reports layer.
set_html_repr(repr_html)


def run(
    scenarios: ScenarioLike | Sequence[ScenarioLike],
    draws: int = 10_000,
    seed: int = 0,
    *,
    workers: int = 1,
    chunk_size: int | None = None,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
    files: Mapping[str, str | os.PathLike[str]] | None = None,
    allow_extends: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] = (),
    keep_outcomes: bool = False,
    price_year: int | None = None,
    perspective: str = DEFAULT_PERSPECTIVE,
    sampler: str = DEFAULT_SAMPLER,
    precision: float | None = None,
) -> Results:
    """Run the base case and ``draws`` Monte Carlo draws of some scenarios.

    Parameters
    ----------
    scenarios : path, Scenario, or a sequence of them
        Scenario files, folders (every ``*.yaml`` below, except ``_`` files)
        or loaded scenarios; ids must be unique.  A file named twice, or by
        its folder too, is read once, as on the command line.  Results are
        in id order whatever the order given.
    draws : int
        Monte Carlo draws N, at most :data:`~sroi.limits.MAX_DRAWS`;
        0 computes the base case only.
    seed : int
        Fixes every random number (docs/methodology.md §11).
    workers : int
        Worker processes (results are identical for any number).
    chunk_size : int, optional
        Draws per unit of work [draws]; changes memory and speed, never
        results.  Default: chosen for the run
        (:func:`sroi.engine.chunking.automatic_chunk`, 16,384 or 32,768).
    executor : concurrent.futures.Executor, optional
        Run chunks on this executor instead.
    progress : callable, optional
        Called with the number of draws done after each chunk; a precision
        run that runs its draws a second time restarts it when it has a
        ``restart(total, label)`` method (see
        :func:`sroi.engine.runner.run_draws`).
    files : mapping, optional
        Scenario id (of a ``Scenario`` given) -> the file it was loaded
        from, so the results record its name and SHA-256.  The file is
        loaded and must hold that scenario (at its own or the run's price
        year).  A path given in ``scenarios`` is recorded as it is.
    allow_extends : folder or sequence of folders
        More folders whose files ``extends`` may name, as ``--allow-extends``
        does on the command line (docs/security.md); used for ``files`` too.
    keep_outcomes : bool
        Also keep each outcome's quantity and present value, base case and
        per stored draw (:attr:`Results.outcomes`), as a report's value map
        needs; without it they are not kept.
    price_year : int, optional
        Re-express every money result at the prices of this financial year
        (2019 is FY 2019-20) with the GDP deflator; scenarios at different
        price years can then run together.  Default: each scenario's own.
    perspective : str
        Whose value and which cost the headline counts (``society``,
        ``public_sector``, ``nhs``, ``local_authority``,
        ``central_government`` or ``cashable``; docs/decisions-by-perspective.md):
        :meth:`Results.headline`, the tables and the report lead with it.
        Every metric is computed whatever it is.
    sampler : str
        How the draws are made: ``"random"`` (pseudo-random streams, the
        default), ``"sobol"`` (scrambled Sobol' points) or ``"lhs"`` (Latin
        hypercube per block of draws); see docs/performance.md.
    precision : float, optional
        Stopping rule: run until the 95% half-width of every mean SROI ratio
        (and perspective return) is within this share of its value, and of
        every P(SROI ratio > 1) within this many points (e.g. 0.01), with
        ``draws`` as the maximum.  :attr:`Results.run` records the draws
        taken and the precision reached (docs/performance.md).

    Raises
    ------
    ScenarioError
        With every located problem in the scenario files.
    PathError
        When a path (or a file in ``files``) names no scenario file, is
        empty, or is a scenario's text rather than its path (a ``ValueError``).
    ValueError
        For an argument out of range or of the wrong type (``draws``,
        ``perspective``, ``progress``, ``keep_outcomes``, ``files``,
        ``allow_extends``, ...), naming it.
    TypeError
        When ``scenarios`` (or one of them) is neither a path nor a
        ``Scenario``, or ``executor`` is not an ``Executor``.

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
    >>> later = sroi.run("scenarios/family_action_pss/oxford.yaml", draws=0, price_year=2024)
    >>> later.scenarios[0].price_year
    2024
    >>> public = sroi.run("scenarios/family_action_pss/oxford.yaml", draws=0,
    ...                   perspective="public_sector")
    >>> public.headline("oxford").ratio.modal == public.base_value("public_roi", "oxford")
    True
    """
    draws = whole("draws", draws, 0)
    if draws > MAX_DRAWS:
        raise ValueError(f"draws must be at most {MAX_DRAWS:,}; found {draws:,}")
    seed = whole("seed", seed, 0)
    workers = whole("workers", workers, 1)
    chunk_size = check_chunk_size(chunk_size)
    if price_year is not None:
        price_year = whole("price_year", price_year, 0)
    if executor is not None and not isinstance(executor, Executor):
        raise TypeError(
            "executor must be a concurrent.futures.Executor (or None); "
            f"found {type(executor).__name__}"
        )
    function_or_none("progress", progress)
    keep_outcomes = flag("keep_outcomes", keep_outcomes)
    check_perspective(perspective)
    if precision is not None:
        check_precision(precision)
    loaded, infos = load_run(
        scenarios, files, price_year, allow_extends=allow_folders(allow_extends)
    )
    if not loaded:
        raise ValueError("no scenarios to run")
    plan = RunPlan.build(loaded, seed, sampler)
    if perspective != DEFAULT_PERSPECTIVE:
        # The run leads with this perspective's return: it is a headline
        # result too, for the stopping rule and the precision reported.
        plan = dataclasses.replace(plan, returns=(perspective,))
    if precision is None:
        warn_sobol_draws(sampler, draws)
    else:
        warn_too_few_draws(precision, draws)
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
            keep_outcomes=keep_outcomes,
            precision=precision,
        )
    elif precision is not None:
        raise ValueError("precision needs draws >= 1 (the most draws to run)")
    apart = base_outcomes(plan, base_flows)
    outcomes = None
    if keep_outcomes:
        kept = summary.outcomes if summary is not None else None
        outcomes = {
            sid: OutcomeValues.of(split, kept[sid] if kept is not None else None)
            for sid, split in apart.items()
        }
    taken = summary.draws if summary is not None else 0
    reached = summary.precision if summary is not None else None
    info = RunInfo(
        int(seed),
        taken,
        tuple(infos),
        __version__,
        sampler,
        perspective=perspective,
        precision=reached,
    )
    return Results(
        info,
        base,
        base_flows,
        summary,
        outcomes,
        outcome_info(plan.scenarios, apart),
        loaded=plan.scenarios,
    )


def outcome_info(
    scenarios: Sequence[Scenario], apart: Mapping[str, OutcomeSplit]
) -> dict[str, tuple[OutcomeInfo, ...]]:
    """Each scenario's outcomes with their evidence grades and base-case PV,
    from each outcome apart in the base case (``apart``, by scenario id)."""
    return {
        s.id: tuple(
            OutcomeInfo(
                oid,
                o.label,
                o.proxy.evidence,
                o.probability.evidence,
                float(apart[s.id].pv[oid].reshape(-1)[0]),
            )
            for oid, o in s.outcomes.items()
        )
        for s in scenarios
    }


__all__ = ["ScenarioLike", "load_run", "run"]
