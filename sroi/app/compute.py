"""Run the scenario a form names and gather what the page shows.

The scenario runs on its own, exactly as ``sroi run FILE --draws N --seed S``
runs it, so the page's figures are the command line's.  The comparison with
the four pilot sites uses common random numbers: every value's random stream
is keyed by the seed, the scenario and the value (a shared value's by the
seed and the value only), so a scenario's draws are the same whether it runs
alone or with others.  The pilots' run is therefore made once per seed,
draws and price year and kept, and a what-if rerun only runs the one
scenario; P(best) is then the rank estimator of ``sroi compare``
(:func:`sroi.analysis.compare.rank_probabilities`) on the stacked draws,
equal to a joint run's (``tests/test_app.py`` checks it).
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from sroi.analysis.compare import rank_probabilities
from sroi.api import run as run_model
from sroi.app.form import RunSettings
from sroi.app.proposal import Prepared, pilot_sites
from sroi.replication import pilots_path
from sroi.reports.style import symbol
from sroi.results import Results
from sroi.vocabulary import METRICS, PAYERS, PERSPECTIVES, PUBLIC_PAYERS, Perspective

#: The three returns the page shows, in order.
RETURNS = ("sroi_ratio", "public_roi", "cashable_roi")
#: Pilot runs kept, most recently used last.
PILOT_CACHE_SIZE = 4


@dataclass(frozen=True)
class Figure:
    """One figure of the page: base case, mean and 90% interval.

    base, mean, p5, p95 : float
        In the metric's unit; NaN when undefined.
    """

    base: float
    mean: float
    p5: float
    p95: float


@dataclass(frozen=True)
class Return:
    """One return (a ratio of value to cost).

    id, label, unit : str
        From the vocabulary (:data:`sroi.vocabulary.METRICS`).
    meaning : str
        What it counts, in words: its perspective's meaning.
    figure : Figure
        Its base case, expected value and 90% interval.
    prob_above_1 : float
        Share of draws in which it is above 1 [fraction].
    """

    id: str
    label: str
    unit: str
    meaning: str
    figure: Figure
    prob_above_1: float


@dataclass(frozen=True)
class PayerValue:
    """Value to one payer, present value [currency]."""

    id: str
    label: str
    figure: Figure


@dataclass(frozen=True)
class PilotRow:
    """One row of the comparison with the pilot sites.

    unit_cost, sroi_ratio : Figure
        [currency per woman], [currency per currency].
    prob_sroi_above_1, prob_best : float
        P(SROI ratio > 1) and P(highest SROI ratio of the five) [fraction].
    """

    id: str
    name: str
    chosen: bool
    unit_cost: Figure
    sroi_ratio: Figure
    prob_sroi_above_1: float
    prob_best: float


@dataclass(frozen=True)
class Outcome:
    """Everything the results part of the page shows.

    results : Results
        The run of the chosen scenario alone (as ``sroi run``).
    users, unit_cost, cost_per_case_averted, cost_pv, value_pv : Figure
        [women], [currency per woman], [currency per case], [currency], [currency].
    returns : tuple of Return
        ``sroi_ratio``, ``public_roi`` and ``cashable_roi``.
    payback_year : float
        Base-case payback year (NaN: never within the horizon).
    prob_payback : float
        Share of draws that pay back [fraction].
    payers : tuple of PayerValue
        Value to each payer.
    pilots : tuple of PilotRow
        The chosen scenario (first) next to the pilot sites.
    """

    results: Results
    users: Figure
    unit_cost: Figure
    cost_per_case_averted: Figure
    cost_pv: Figure
    value_pv: Figure
    returns: tuple[Return, ...]
    payback_year: float
    prob_payback: float
    payers: tuple[PayerValue, ...]
    pilots: tuple[PilotRow, ...]

    @property
    def scenario_id(self) -> str:
        """The chosen scenario's id."""
        return self.results.scenarios[0].id

    @property
    def currency(self) -> str:
        """Currency of every amount."""
        return self.results.run.currency

    @property
    def price_year(self) -> int:
        """Price year of every amount."""
        return self.results.run.price_year


def _value_metric(p: Perspective) -> str | None:
    """The metric that holds a perspective's value PV, when one does."""
    if p.cashable_only:
        return "value_pv_cashable" if p.payers == tuple(PAYERS) else None
    if p.payers == tuple(PAYERS):
        return "value_pv"
    return "public_value_pv" if p.payers == PUBLIC_PAYERS else None


def meaning(metric: str) -> str:
    """What a return counts, in words: the meaning of the perspective whose
    value and cost it divides (``value / cost`` as the metric's own meaning
    writes it), else the metric's meaning.

    >>> meaning("public_roi")
    'value to the public purse, against the cash cost'
    """
    for p in PERSPECTIVES.values():
        if METRICS[metric].meaning == f"{_value_metric(p)} / {p.cost}":
            return p.meaning
    return METRICS[metric].meaning


def figure(
    results: Results,
    metric: str,
    scenario: str,
    summaries: Mapping[str, Mapping[str, float]] | None = None,
) -> Figure:
    """Base case, mean and 90% interval of one metric, as ``sroi run`` prints
    them; ``summaries`` are ``results.summaries(scenario)`` when already made."""
    if summaries is None:
        summaries = results.summaries(scenario)
    stats = summaries.get(metric, {})
    nan = math.nan
    return Figure(
        results.base_value(metric, scenario),
        stats.get("mean", nan),
        stats.get("p5", nan),
        stats.get("p95", nan),
    )


def share_above_1(draws: np.ndarray) -> float:
    """Share of draws above 1 [fraction]; an undefined (NaN) draw counts as not above.

    >>> share_above_1(np.array([0.5, 2.0, np.nan, 1.5]))
    0.5
    """
    return float(np.count_nonzero(draws > 1.0)) / draws.size if draws.size else math.nan


def prob_above_1(results: Results, metric: str, scenario: str) -> float:
    """P(metric > 1) over the run's draws [fraction]: for the SROI ratio the
    run's own count (as ``sroi run`` prints it), for another ratio its share
    of the stored draws (every draw, up to the run's memory budget)."""
    if metric == "sroi_ratio":
        return results.probabilities(scenario)["prob_sroi_above_1"]
    return share_above_1(results.metric(metric, scenario))


def run_scenario(prepared: Prepared, settings: RunSettings, keep_outcomes: bool = False) -> Results:
    """Run the prepared scenario alone, as ``sroi run`` runs its downloaded file:
    the results name the file as downloaded and the SHA-256 of its bytes."""
    results = run_model(
        prepared.scenario,
        draws=settings.draws,
        seed=settings.seed,
        price_year=settings.price_year,
        keep_outcomes=keep_outcomes,
    )
    info = dataclasses.replace(
        results.run.scenarios[0], file=prepared.file_name, sha256=prepared.sha256
    )
    return dataclasses.replace(results, run=dataclasses.replace(results.run, scenarios=(info,)))


class PilotRuns:
    """The pilot sites' runs, one per (draws, seed, price year), kept for reuse."""

    def __init__(self, size: int = PILOT_CACHE_SIZE) -> None:
        self._size = size
        self._runs: OrderedDict[RunSettings, Results] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, settings: RunSettings) -> Results:
        """The pilots' run for ``settings``, made on first use."""
        with self._lock:
            if settings in self._runs:
                self._runs.move_to_end(settings)
                return self._runs[settings]
            results = run_model(
                pilots_path(),
                draws=settings.draws,
                seed=settings.seed,
                price_year=settings.price_year,
            )
            self._runs[settings] = results
            while len(self._runs) > self._size:
                self._runs.popitem(last=False)
            return results


def pilot_rows(results: Results, pilots: Results) -> tuple[PilotRow, ...]:
    """The chosen scenario (first) next to each pilot site, with P(best) of
    the SROI ratio from the draws of both runs taken together."""
    chosen = results.scenarios[0].id
    others = [s.id for s in pilots.scenarios if s.id != chosen]
    runs = [(chosen, results), *((sid, pilots) for sid in others)]
    ratios = np.vstack([run.metric("sroi_ratio", sid) for sid, run in runs])
    best = rank_probabilities(ratios)[:, 0]
    names = {s.id: s.name for s in pilot_sites()} | {chosen: results.scenarios[0].name}
    rows = []
    for i, (sid, run) in enumerate(runs):
        stats = run.summaries(sid)
        rows.append(
            PilotRow(
                sid,
                names[sid],
                sid == chosen,
                figure(run, "unit_cost", sid, stats),
                figure(run, "sroi_ratio", sid, stats),
                prob_above_1(run, "sroi_ratio", sid),
                float(best[i]),
            )
        )
    return tuple(rows)


def outcome(results: Results, pilots: Results) -> Outcome:
    """What the page shows of a run, next to the pilots' run."""
    sid = results.scenarios[0].id
    currency = symbol(results.run.currency).strip()
    stats = results.summaries(sid)
    returns = tuple(
        Return(
            m,
            METRICS[m].label,
            METRICS[m].unit.format(c=currency),
            meaning(m),
            figure(results, m, sid, stats),
            prob_above_1(results, m, sid),
        )
        for m in RETURNS
    )
    payers = tuple(
        PayerValue(p.id, p.label, figure(results, f"value_pv_by_payer.{p.id}", sid, stats))
        for p in PAYERS.values()
    )
    return Outcome(
        results,
        figure(results, "users", sid, stats),
        figure(results, "unit_cost", sid, stats),
        figure(results, "cost_per_case_averted", sid, stats),
        figure(results, "cost_pv", sid, stats),
        figure(results, "value_pv", sid, stats),
        returns,
        results.base_value("payback_year", sid),
        results.probabilities(sid)["prob_payback"],
        payers,
        pilot_rows(results, pilots),
    )


__all__ = [
    "PILOT_CACHE_SIZE",
    "RETURNS",
    "Figure",
    "Outcome",
    "PayerValue",
    "PilotRow",
    "PilotRuns",
    "Return",
    "figure",
    "meaning",
    "outcome",
    "pilot_rows",
    "prob_above_1",
    "run_scenario",
    "share_above_1",
]
