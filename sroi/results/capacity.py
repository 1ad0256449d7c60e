"""Where the volunteer pool caps the caseload, in the base case.

Women supported are the smaller of those who would use the service
(referrals x uptake) and those the pool can support (pool x
``max_users_per_volunteer``; docs/methodology.md §2).  When the cap binds,
the results count only the women supported, and nothing else says how many
were turned away or how many volunteers would be needed: a commissioner
planning 20 befrienders for 155 women would budget for the wrong recruitment.
:func:`capacity_cap` says so, at every input's central value (modal inputs).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sroi.engine.drivers import caseload
from sroi.sampling.sampler import ScenarioSampler
from sroi.scenario.model import Scenario

#: Relative shortfall below which the cap is taken not to bind (rounding) [ratio].
_TOLERANCE = 1e-9
#: Fewest women turned away that the note is written for: the one decimal
#: it shows them to [women].
SHOWN = 0.05


@dataclass(frozen=True)
class CapacityCap:
    """The caseload the volunteer pool cannot support, at modal inputs.

    demand : float
        Women who would use the service over the delivery years [women].
    supported : float
        Women supported: the results' ``users`` [women].
    capacity : float
        Women the pool supports in a year [women/year].
    pool : float
        Volunteers in the pool [volunteers].
    per_volunteer : float
        Women one volunteer supports in a year [women/volunteer/year].
    years : tuple of int
        Delivery years in which the cap binds, 0 the first [years], as the
        cash flows and payback count them.
    needed : int or None
        Volunteers that would support every woman in the busiest year, None
        when a volunteer supports no one [volunteers].
    """

    demand: float
    supported: float
    capacity: float
    pool: float
    per_volunteer: float
    years: tuple[int, ...]
    needed: int | None

    def sentence(self) -> str:
        """The cap in words, for a table's note or a key finding; delivery
        years counted from 0, as the cash flows and payback count them, and
        said so."""
        years = [str(y) for y in self.years]
        when = (
            f"delivery year {years[0]}"
            if len(years) == 1
            else ("delivery years " + ", ".join(years[:-1]) + f" and {years[-1]}")
        ) + " (year 0 is the first)"
        return (
            f"Volunteer capacity caps the caseload (modal inputs): {_women(self.supported)} of "
            f"the {_women(self.demand)} women who would use the service are supported. In "
            f"{when} the pool of {self.pool:,.3g} volunteers, {self.per_volunteer:,.3g} women "
            f"each a year, supports {_women(self.capacity)} a year"
            + (
                f"; about {self.needed:,} volunteers would support every woman"
                if self.needed is not None
                else ""
            )
        )


def _women(x: float) -> str:
    """A count of women as a sentence gives it: to the one decimal that keeps
    a shortfall of 0.05 visible, without a decimal of 0.

    >>> _women(4875.0), _women(65.55), _women(130.99999999), _women(0.04)
    ('4,875', '65.5', '131', '0')
    """
    return f"{x:,.1f}".removesuffix(".0")


def capacity_cap(scenario: Scenario) -> CapacityCap | None:
    """Where the volunteer pool caps ``scenario``'s caseload with every input
    at its central value; None where it does not (or has no cap)."""
    x = ScenarioSampler.build(scenario, 0).central()
    c = caseload(scenario, x)
    if c.capacity is None:
        return None
    demand, users = c.demand[0], c.users[0]
    short = demand > users * (1 + _TOLERANCE)
    if not short.any() or float(demand.sum() - users.sum()) < SHOWN:
        return None  # none turned away, or fewer than the one decimal shown
    capacity = float(c.capacity[0, 0])
    pool = float(c.pool[0, 0])
    per_volunteer = float(x["volunteers.max_users_per_volunteer"])
    needed = math.ceil(float(demand.max()) / per_volunteer) if per_volunteer > 0 else None
    return CapacityCap(
        demand=float(demand.sum()),
        supported=float(users.sum()),
        capacity=capacity,
        pool=pool,
        per_volunteer=per_volunteer,
        years=tuple(int(y) for y in short.nonzero()[0]),
        needed=needed,
    )


__all__ = ["SHOWN", "CapacityCap", "capacity_cap"]
