"""Value of information for a population: from one decision to every woman
the evidence would serve over a horizon.

A decision's EVPI is worth something to every later decision that the same
evidence informs.  With ``P`` women a year facing the decision for ``Y``
years, and EVPI per woman ``e`` (EVPI over the mean number of women the
decision supports), the population EVPI is ::

    e * P * sum_{y=0..Y-1} DF_y

with ``DF_y`` the scenario's discount factors for money
(:func:`sroi.engine.discounting.discount_factors`).  The sum is the
*discounted years* of the horizon: ``Y`` undiscounted, a little less
discounted (8.61 for 10 years at the Green Book's 3.5%).

``green_book_health`` discounts health effects at the lower health rates
within one decision; the decisions themselves are money and are discounted
at the ``green_book`` rates.  An uncertain ``constant`` rate is taken at its
central value.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sroi.analysis.subject import AnalysisError
from sroi.arguments import finite, whole
from sroi.engine.discounting import discount_factors
from sroi.limits import MAX_HORIZON_YEARS, MAX_MAGNITUDE
from sroi.scenario.model import Scenario


class PopulationError(AnalysisError):
    """A population or horizon that cannot scale value of information."""


def discounted_years(
    horizon: int,
    schedule: str = "green_book",
    convention: str = "green_book",
    rate: float | None = None,
) -> float:
    """Sum of the discount factors of years ``0 .. horizon - 1`` [years].

    Parameters
    ----------
    horizon : int
        Years in which the decision is taken, 1 to
        :data:`~sroi.limits.MAX_HORIZON_YEARS`.
    schedule, convention, rate
        As for :func:`~sroi.engine.discounting.discount_factors`; ``rate``
        [fraction per year] only for ``constant``.

    Returns
    -------
    float
        ``sum(DF_y)`` [years]: ``horizon`` when nothing is discounted.

    Examples
    --------
    >>> discounted_years(2, "constant", rate=0.1)  # 1 + 1/1.1
    1.9090909090909092
    >>> round(discounted_years(10), 4)  # Green Book 3.5%, year 0 undiscounted
    8.6077
    """
    horizon = whole("horizon", horizon, 0)
    if horizon < 1:
        raise PopulationError(f"the horizon must be at least 1 year; found {horizon}")
    if horizon > MAX_HORIZON_YEARS:
        raise PopulationError(
            f"the horizon must be at most {MAX_HORIZON_YEARS} years; found {horizon:,}"
        )
    return float(np.sum(discount_factors(horizon, schedule, convention, rate)))


def money_schedule(scenario: Scenario) -> tuple[str, str, float | None]:
    """``(schedule, convention, rate)`` at which ``scenario`` discounts money:
    ``green_book_health`` becomes ``green_book``; a ``constant`` rate is its
    central value [fraction per year]."""
    d = scenario.discounting
    if d.schedule == "constant":
        assert d.rate is not None  # the scenario model requires it
        return "constant", d.convention, d.rate.central()
    return "green_book", d.convention, None


def population_factor(scenarios: Sequence[Scenario], population: float, horizon: int) -> float:
    """Women-years, discounted, that one woman's EVPI is multiplied by:
    ``population * sum(DF_y)`` [women].

    Parameters
    ----------
    scenarios : sequence of Scenario
        Whose discounting applies; they must discount money alike.
    population : float
        Women facing the decision each year [women/year], > 0.
    horizon : int
        Years the decision is taken [years], >= 1.

    Raises
    ------
    PopulationError
        For a population that is not a positive number up to
        :data:`~sroi.limits.MAX_MAGNITUDE`, a horizon outside 1 to
        :data:`~sroi.limits.MAX_HORIZON_YEARS` years, or scenarios that
        discount money differently.
    """
    population = finite("population", population)
    if not population > 0:
        raise PopulationError(f"the population must be a positive number; found {population}")
    if population > MAX_MAGNITUDE:
        raise PopulationError(
            f"the population must be at most {MAX_MAGNITUDE:,.0f} women a year; "
            f"found {population:g}"
        )
    schedules = {money_schedule(s) for s in scenarios}
    if len(schedules) != 1:
        named = "; ".join(f"{s.id}: {money_schedule(s)[0]}" for s in scenarios)
        raise PopulationError(
            f"the scenarios discount money differently ({named}); give them one schedule "
            "to scale value of information to a population"
        )
    schedule, convention, rate = schedules.pop()
    return population * discounted_years(horizon, schedule, convention, rate)


__all__ = [
    "PopulationError",
    "discounted_years",
    "money_schedule",
    "population_factor",
]
