"""Whose money: a perspective's value, cost, net value, return and payback per
draw, and the honest summary of them that every output leads with.

A perspective (:data:`sroi.vocabulary.PERSPECTIVES`) says whose value counts
and which cost: society counts all value against the cost with volunteer
time in kind; the public sector counts the value to the NHS, local
authorities and central government against the cash cost; ``cashable``
counts only the savings a budget holder can release.  :func:`perspective_draws`
is the one place that turns per-draw metrics into a perspective's numbers;
the run's tables, the report, ``compare`` and every sensitivity method read
them from it.

The summary leads with the **expected value across draws**: for a return the
ratio of the mean value to the mean cost (what the money buys on average),
for money the mean.  The median sits beside it, and the base case, every
input at its central (modal) value, comes second, labelled "modal inputs":
with skewed inputs it is not what to expect.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from sroi.engine.accumulate import Moments
from sroi.engine.runner import DrawSummary
from sroi.results.run_info import DEFAULT_PERSPECTIVE
from sroi.vocabulary import PERSPECTIVES, SIDE_BY_SIDE, Perspective


def check_perspective(name: str) -> Perspective:
    """The perspective called ``name``.

    Raises
    ------
    ValueError
        Naming the perspectives there are, when ``name`` is not one of them.

    >>> check_perspective("nhs").cost
    'cash_cost_pv'
    """
    if not isinstance(name, str) or name not in PERSPECTIVES:
        raise ValueError(f"unknown perspective {name!r}; expected one of {', '.join(PERSPECTIVES)}")
    return PERSPECTIVES[name]


@dataclass(frozen=True)
class PerspectiveDraws:
    """One perspective's numbers per draw; arrays of one value per draw.

    Money is in the scenario's currency at its price year, discounted.
    """

    #: Whose value and which cost count.
    perspective: Perspective
    #: Value PV the perspective counts [currency].
    value: np.ndarray
    #: Cost PV it counts: ``cost_pv`` or ``cash_cost_pv`` [currency].
    cost: np.ndarray
    #: Net present value, value − cost [currency].
    net: np.ndarray
    #: Return, value / cost [currency per currency]; NaN where the cost is 0.
    ratio: np.ndarray
    #: First analysis year in which its cumulative discounted value reaches
    #: its cumulative discounted cost [year]; NaN where it never does (None
    #: when the metrics given carry no payback years).
    payback_year: np.ndarray | None


def perspective_draws(
    metrics: Mapping[str, np.ndarray], perspective: str = DEFAULT_PERSPECTIVE
) -> PerspectiveDraws:
    """A perspective's value, cost, net value, return and payback per draw,
    from per-draw metrics (a run's, a collector's or a designed experiment's).

    The society perspective gives exactly ``value_pv``, ``cost_pv``, ``npv``
    and ``sroi_ratio``; the public sector ``public_value_pv``, ``cash_cost_pv``
    and ``public_roi``; ``cashable`` ``value_pv_cashable`` and ``cashable_roi``.

    >>> m = {"value_pv_by_payer.nhs": np.array([30.0, 0.0]),
    ...      "cash_cost_pv": np.array([20.0, 0.0])}
    >>> d = perspective_draws(m, "nhs")
    >>> d.net.tolist(), d.ratio.tolist()
    ([10.0, 0.0], [1.5, nan])
    """
    p = check_perspective(perspective)
    value = np.asarray(metrics[p.value_metric], dtype=np.float64)
    cost = np.asarray(metrics[p.cost], dtype=np.float64)
    # Where a metric already holds the return or the net value (the programme's
    # NPV is summed site by site), it is read, so the two never differ.
    if p.ratio_metric in metrics:
        ratio = np.asarray(metrics[p.ratio_metric], dtype=np.float64)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(cost > 0, value / cost, np.nan)
    net = metrics.get(p.net_metric)
    payback = metrics.get(p.payback_metric)
    return PerspectiveDraws(
        p,
        value,
        cost,
        value - cost if net is None else np.asarray(net, dtype=np.float64),
        ratio,
        None if payback is None else np.asarray(payback, dtype=np.float64),
    )


def with_perspectives(metrics: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``metrics`` with every perspective's return and net value added under
    its name (``nhs_roi``, ``public_sector_npv``, ...; see
    :func:`sroi.vocabulary.perspective_metric_names`), so an analysis can
    read any of them by name.  Metrics already there are kept as they are."""
    out = dict(metrics)
    for p in PERSPECTIVES.values():
        draws = perspective_draws(metrics, p.id)
        out.setdefault(p.ratio_metric, draws.ratio)
        out.setdefault(p.net_metric, draws.net)
    return out


# --------------------------------------------------------------------------- summaries


@dataclass(frozen=True)
class Estimate:
    """One number of one perspective, summarised across draws (NaN where it
    cannot be computed: no draws, or never defined).

    For a return, ``expected`` is the ratio of the mean value to the mean
    cost; for money, the mean.  Percentiles are of the draws where it is defined.
    """

    #: Expected value across draws.
    expected: float
    #: Median of the draws.
    median: float
    #: 5th percentile of the draws.
    p5: float
    #: 95th percentile of the draws.
    p95: float
    #: Base case: every input at its central (modal) value.
    modal: float


@dataclass(frozen=True)
class Headline:
    """What one perspective gets from one scenario (or the programme)."""

    #: Whose value and which cost count.
    perspective: Perspective
    #: Return, value / cost [currency per currency].
    ratio: Estimate
    #: Net present value, value − cost [currency].
    net: Estimate
    #: Value PV counted [currency].
    value: Estimate
    #: Cost PV counted [currency].
    cost: Estimate
    #: Share of draws whose return exceeds 1 (NaN without draws).
    prob_ratio_above_1: float
    #: Share of draws whose net value exceeds 0 (NaN without draws).
    prob_net_positive: float
    #: Payback year in the base case (NaN: never within the horizon) [year].
    payback_modal: float
    #: Median payback year across draws: the first year by which at least
    #: half of them pay back (NaN: more than half never do, or no draws) [year].
    payback_median: float
    #: Share of draws that pay back within the horizon (NaN without draws).
    prob_payback: float


def _percentiles(values: np.ndarray) -> tuple[float, float, float]:
    finite = values[~np.isnan(values)]
    if not finite.size:
        return math.nan, math.nan, math.nan
    p5, p50, p95 = np.percentile(finite, [5.0, 50.0, 95.0])
    return float(p50), float(p5), float(p95)


def _mean(moments: Mapping[str, Moments], metric: str) -> float:
    count, mean, _ = moments[metric].total()
    return mean if count else math.nan


def _median_year(years: np.ndarray) -> float:
    """The first year by which at least half of the draws have paid back, with
    never (NaN) as later than any year; NaN when more than half never do.

    The inverted-CDF median (Hyndman and Fan's definition 1), so it is always
    a year some draw pays back in, never halfway between two years.
    """
    if not years.size:
        return math.nan
    later = np.where(np.isnan(years), np.inf, years)
    median = float(np.percentile(later, 50.0, method="inverted_cdf"))
    return median if math.isfinite(median) else math.nan


def headline(
    base: Mapping[str, np.ndarray],
    summary: DrawSummary | None,
    name: str,
    perspective: str = DEFAULT_PERSPECTIVE,
) -> Headline:
    """The summary of one perspective for scenario (or programme) ``name`` of
    a run: ``base`` its base-case metrics (arrays of one value), ``summary``
    what the run kept of its draws (None: base case only).

    Means come from every draw (the run's moments), probabilities from its
    counts over every draw, percentiles and medians from the stored draws.
    """
    p = check_perspective(perspective)
    modal = perspective_draws(base, p.id)
    nan = math.nan
    if summary is None or summary.draws == 0:

        def only(x: np.ndarray) -> Estimate:
            return Estimate(nan, nan, nan, nan, float(x[0]))

        payback = modal.payback_year
        return Headline(
            p,
            only(modal.ratio),
            only(modal.net),
            only(modal.value),
            only(modal.cost),
            nan,
            nan,
            float(payback[0]) if payback is not None else nan,
            nan,
            nan,
        )
    draws = perspective_draws(summary.stored[name], p.id)
    moments = summary.moments[name]
    mean_value, mean_cost = _mean(moments, p.value_metric), _mean(moments, p.cost)

    def estimate(expected: float, values: np.ndarray, base_value: np.ndarray) -> Estimate:
        median, p5, p95 = _percentiles(values)
        return Estimate(expected, median, p5, p95, float(base_value[0]))

    counts = summary.counts[name]
    assert draws.payback_year is not None and modal.payback_year is not None
    return Headline(
        p,
        estimate(mean_value / mean_cost if mean_cost > 0 else nan, draws.ratio, modal.ratio),
        estimate(mean_value - mean_cost, draws.net, modal.net),
        estimate(mean_value, draws.value, modal.value),
        estimate(mean_cost, draws.cost, modal.cost),
        counts[f"ratio_above_1.{p.id}"] / summary.draws,
        counts[f"net_positive.{p.id}"] / summary.draws,
        float(modal.payback_year[0]),
        _median_year(draws.payback_year),
        counts[f"payback.{p.id}"] / summary.draws,
    )


def side_by_side(
    base: Mapping[str, np.ndarray], summary: DrawSummary | None, name: str
) -> list[Headline]:
    """The social, public-sector and cashable returns of scenario (or
    programme) ``name``, in that order (:data:`sroi.vocabulary.SIDE_BY_SIDE`)."""
    return [headline(base, summary, name, p) for p in SIDE_BY_SIDE]


__all__ = [
    "DEFAULT_PERSPECTIVE",
    "Estimate",
    "Headline",
    "PerspectiveDraws",
    "check_perspective",
    "headline",
    "perspective_draws",
    "side_by_side",
    "with_perspectives",
]
