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
from sroi.results import Results
from sroi.results.perspective import Estimate, perspective_draws
from sroi.results.perspective import Headline as RunHeadline
from sroi.results.run_info import DEFAULT_PERSPECTIVE
from sroi.vocabulary import PAYERS, PERSPECTIVES, SIDE_BY_SIDE, Perspective

#: The three returns the page shows side by side, in order.
RETURNS = tuple(PERSPECTIVES[p].ratio_metric for p in SIDE_BY_SIDE)
#: Pilot runs kept, most recently used last.
PILOT_CACHE_SIZE = 4


@dataclass(frozen=True)
class Figure:
    """One figure of the page, as ``sroi run`` prints it: the expected value
    across draws (:meth:`Results.expected`: the ratio of means for a ratio
    such as a return or a unit cost, the mean otherwise), the
    median and 90% interval of the draws, and the base case ("modal inputs").

    expected, median, p5, p95, modal : float
        In the metric's unit; NaN when undefined.
    """

    expected: float
    median: float
    p5: float
    p95: float
    modal: float


@dataclass(frozen=True)
class Return:
    """One return (a ratio of value to cost) of one perspective.

    id : str
        The return's metric (``sroi_ratio``, ``public_roi``, ``cashable_roi``,
        ``nhs_roi``, ...).
    perspective : str
        Its perspective's id.
    label, meaning : str
        Its name ("Social return") and what it counts, in words, from the vocabulary.
    figure : Figure
        Expected value (mean value / mean cost), median, 90% interval, modal inputs
        [currency per currency].
    prob_above_1 : float
        Share of draws in which it is above 1 [fraction].
    """

    id: str
    perspective: str
    label: str
    meaning: str
    figure: Figure
    prob_above_1: float


@dataclass(frozen=True)
class Headline:
    """The chosen perspective's headline: its return, net present value and payback.

    ret : Return
        Its return.
    net : Figure
        Net present value, its value minus its cost [currency].
    prob_net_positive : float
        Share of draws with a positive net present value [fraction].
    payback_modal, payback_median : float
        Payback year with modal inputs, and the median across draws counting
        never as later than any year [year]; NaN: not within the horizon.
    prob_payback : float
        Share of draws that pay back within the horizon [fraction].
    """

    ret: Return
    net: Figure
    prob_net_positive: float
    payback_modal: float
    payback_median: float
    prob_payback: float


@dataclass(frozen=True)
class PayerValue:
    """Value to one payer, present value [currency]."""

    id: str
    label: str
    figure: Figure


@dataclass(frozen=True)
class PilotRow:
    """One row of the comparison with the pilot sites, for the chosen perspective.

    unit_cost : Figure
        [currency per woman].
    ratio : Figure
        The perspective's return [currency per currency].
    prob_above_1, prob_best : float
        P(return > 1) and P(highest return of the sites listed) [fraction].
    """

    id: str
    name: str
    chosen: bool
    unit_cost: Figure
    ratio: Figure
    prob_above_1: float
    prob_best: float


@dataclass(frozen=True)
class Outcome:
    """Everything the results part of the page shows.

    results : Results
        The run of the chosen scenario alone (as ``sroi run --perspective P``).
    perspective : Perspective
        Whose value and which cost the headline counts.
    headline : Headline
        The perspective's return, net present value and payback.
    users, unit_cost, cost_per_case_averted, cost_pv, value_pv : Figure
        [women], [currency per woman], [currency per case], [currency], [currency].
    cash_cost_pv : Figure
        The cash part of ``cost_pv`` (without volunteer time in kind), the
        cost the public-sector and cashable returns divide by [currency].
    returns : tuple of Return
        Social, public-sector and cashable returns, side by side.
    payers : tuple of PayerValue
        Value to each payer.
    pilots : tuple of PilotRow
        The chosen scenario (first) next to the pilot sites.
    """

    results: Results
    perspective: Perspective
    headline: Headline
    users: Figure
    unit_cost: Figure
    cost_per_case_averted: Figure
    cost_pv: Figure
    cash_cost_pv: Figure
    value_pv: Figure
    returns: tuple[Return, ...]
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


def figure(
    results: Results,
    metric: str,
    scenario: str,
    summaries: Mapping[str, Mapping[str, float]] | None = None,
) -> Figure:
    """Expected value (:meth:`Results.expected`), median, 90% interval and base
    case of one metric, as ``sroi run`` prints them; ``summaries`` are
    ``results.summaries(scenario)`` when already made."""
    if summaries is None:
        summaries = results.summaries(scenario)
    stats = summaries.get(metric, {})
    nan = math.nan
    return Figure(
        results.expected(metric, scenario) if stats else nan,
        stats.get("p50", nan),
        stats.get("p5", nan),
        stats.get("p95", nan),
        results.base_value(metric, scenario),
    )


def _estimate(e: Estimate) -> Figure:
    return Figure(e.expected, e.median, e.p5, e.p95, e.modal)


def as_return(h: RunHeadline) -> Return:
    """A perspective's return from its headline (:meth:`Results.headline`)."""
    p = h.perspective
    return Return(
        p.ratio_metric, p.id, p.ratio_label, p.meaning, _estimate(h.ratio), h.prob_ratio_above_1
    )


def headline(results: Results, scenario: str, perspective: str) -> Headline:
    """The perspective's return, net present value and payback for one scenario,
    exactly as ``sroi run --perspective`` prints them."""
    h = results.headline(scenario, perspective)
    return Headline(
        as_return(h),
        _estimate(h.net),
        h.prob_net_positive,
        h.payback_modal,
        h.payback_median,
        h.prob_payback,
    )


def run_scenario(prepared: Prepared, settings: RunSettings, keep_outcomes: bool = False) -> Results:
    """Run the prepared scenario alone, as ``sroi run`` runs its downloaded file
    (with ``--perspective``): the results name the file as downloaded and the
    SHA-256 of its bytes."""
    results = run_model(
        prepared.scenario,
        draws=settings.draws,
        seed=settings.seed,
        price_year=settings.price_year,
        keep_outcomes=keep_outcomes,
        perspective=settings.perspective,
    )
    info = dataclasses.replace(
        results.run.scenarios[0],
        file=prepared.file_name,
        sha256=prepared.sha256,
        extends=prepared.extends,
    )
    return dataclasses.replace(results, run=dataclasses.replace(results.run, scenarios=(info,)))


class PilotRuns:
    """The pilot sites' runs, one per (draws, seed, price year), kept for reuse:
    a perspective changes what is summarised, not the draws, so every
    perspective reads the same run."""

    def __init__(self, size: int = PILOT_CACHE_SIZE) -> None:
        self._size = size
        self._runs: OrderedDict[RunSettings, Results] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, settings: RunSettings) -> Results:
        """The pilots' run for ``settings`` (whatever its perspective), made on first use."""
        key = settings.draws_only
        with self._lock:
            if key in self._runs:
                self._runs.move_to_end(key)
                return self._runs[key]
            results = run_model(
                pilots_path(), draws=key.draws, seed=key.seed, price_year=key.price_year
            )
            self._runs[key] = results
            while len(self._runs) > self._size:
                self._runs.popitem(last=False)
            return results


def pilot_rows(
    results: Results, pilots: Results, perspective: str = DEFAULT_PERSPECTIVE
) -> tuple[PilotRow, ...]:
    """The chosen scenario (first) next to each pilot site: unit cost and the
    perspective's return, with P(best) of that return from the draws of both
    runs taken together, as ``sroi compare --perspective`` ranks them."""
    chosen = results.scenarios[0].id
    others = [s.id for s in pilots.scenarios if s.id != chosen]
    runs = [(chosen, results), *((sid, pilots) for sid in others)]
    ratios = np.vstack(
        [perspective_draws(run.draw_metrics[sid], perspective).ratio for sid, run in runs]
    )
    best = rank_probabilities(ratios)[:, 0]
    names = {s.id: s.name for s in pilot_sites()} | {chosen: results.scenarios[0].name}
    rows = []
    for i, (sid, run) in enumerate(runs):
        h = run.headline(sid, perspective)
        rows.append(
            PilotRow(
                sid,
                names[sid],
                sid == chosen,
                figure(run, "unit_cost", sid),
                _estimate(h.ratio),
                h.prob_ratio_above_1,
                float(best[i]),
            )
        )
    return tuple(rows)


def outcome(results: Results, pilots: Results) -> Outcome:
    """What the page shows of a run, for the run's perspective, next to the pilots' run."""
    sid = results.scenarios[0].id
    view = PERSPECTIVES[results.perspective]
    stats = results.summaries(sid)
    payers = tuple(
        PayerValue(p.id, p.label, figure(results, f"value_pv_by_payer.{p.id}", sid, stats))
        for p in PAYERS.values()
    )
    return Outcome(
        results,
        view,
        headline(results, sid, view.id),
        figure(results, "users", sid, stats),
        figure(results, "unit_cost", sid, stats),
        figure(results, "cost_per_case_averted", sid, stats),
        figure(results, "cost_pv", sid, stats),
        figure(results, "cash_cost_pv", sid, stats),
        figure(results, "value_pv", sid, stats),
        tuple(as_return(h) for h in results.returns(sid)),
        payers,
        pilot_rows(results, pilots, view.id),
    )


__all__ = [
    "PILOT_CACHE_SIZE",
    "RETURNS",
    "Figure",
    "Headline",
    "Outcome",
    "PayerValue",
    "PilotRow",
    "PilotRuns",
    "Return",
    "as_return",
    "figure",
    "headline",
    "outcome",
    "pilot_rows",
    "run_scenario",
]
