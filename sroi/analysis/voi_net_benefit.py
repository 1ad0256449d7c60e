"""The net benefit of commissioning, and what perfect information about it is worth.

A decision's net benefit per draw is read off the run's metrics
(:class:`NetBenefit`): the NPV (:data:`NPV`) by default, or the value a
perspective counts minus the cost it counts (:func:`perspective_net_benefit`).
Not commissioning is worth 0, so with today's evidence the commissioner picks
the option with the higher expected net benefit, ``max(E[NB], 0)``; knowing
every uncertain value exactly would add the expected value of perfect
information, ``EVPI = E[max(NB, 0)] - max(E[NB], 0)`` (:func:`evpi`, with its
Monte Carlo standard error :func:`standard_error`).

See ``docs/value-of-information.md``, "What it answers" and "Whose net
benefit".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from sroi.results.perspective import check_perspective, perspective_draws


@dataclass(frozen=True)
class NetBenefit:
    """How a decision's net benefit per draw is read off its metrics.

    label : str
        In words, for headers, e.g. ``"NPV"``.
    metrics : tuple of str
        The metrics it reads (names of :mod:`sroi.vocabulary`).
    of : callable
        ``metrics -> net benefit per draw`` [currency], from arrays of one
        value per draw keyed by the names in ``metrics``.
    """

    label: str
    metrics: tuple[str, ...]
    of: Callable[[Mapping[str, np.ndarray]], np.ndarray]


#: Net benefit counting all value against every cost: NPV.
NPV = NetBenefit("NPV", ("npv",), lambda m: m["npv"])


def perspective_net_benefit(perspective: str) -> NetBenefit:
    """Net benefit of a perspective (:data:`sroi.vocabulary.PERSPECTIVES`):
    the value it counts minus the cost it counts, per draw [currency].
    Society's is :data:`NPV`.

    >>> perspective_net_benefit("public_sector").metrics
    ('public_value_pv', 'cash_cost_pv')
    """
    view = check_perspective(perspective)
    if view.id == "society":
        return NPV
    return NetBenefit(
        f"{view.value_metric} - {view.cost}",
        (view.value_metric, view.cost),
        lambda m: perspective_draws(m, perspective).net,
    )


def evpi(net_benefit: ArrayLike) -> float:
    """Expected value of perfect information of a commission-or-not decision.

    Parameters
    ----------
    net_benefit : array of float
        Net benefit of commissioning per draw [currency]; not commissioning is 0.

    Returns
    -------
    float
        ``mean(max(NB, 0)) - max(mean(NB), 0)`` [currency]; never negative.

    >>> evpi([-1.0, 3.0])
    0.5
    """
    nb = np.asarray(net_benefit, dtype=np.float64)
    return float(np.mean(np.maximum(nb, 0.0)) - max(float(np.mean(nb)), 0.0))


def standard_error(net_benefit: ArrayLike) -> float:
    """Monte Carlo standard error of :func:`evpi` of these draws [currency]:
    the sd of ``max(NB, 0) - NB * [E(NB) > 0]`` over the square root of N.

    >>> standard_error([1.0, 1.0])
    0.0
    """
    nb = np.asarray(net_benefit, dtype=np.float64)
    if nb.size < 2:
        return math.nan
    chosen = nb if float(np.mean(nb)) > 0 else np.zeros_like(nb)
    return float(np.std(np.maximum(nb, 0.0) - chosen, ddof=1) / math.sqrt(nb.size))


__all__ = ["NPV", "NetBenefit", "evpi", "perspective_net_benefit", "standard_error"]
