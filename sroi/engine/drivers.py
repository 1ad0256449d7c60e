"""The quantity behind each cost and outcome driver, one named formula each.

:mod:`sroi.vocabulary` names, for every driver, the formula that gives its
quantity; this module defines those formulas and :data:`FORMULAS` registers
them by name.  Each takes the :class:`Caseload` of one scenario and returns
the quantity per draw and delivery year, shaped ``(n, years)`` or
``(1, years)`` when it does not vary between draws.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from sroi import vocabulary
from sroi.sampling.sampler import Inputs
from sroi.scenario.model import Scenario


def _col(x: float | np.ndarray) -> np.ndarray:
    """A per-draw value as a column that broadcasts over years: ``(n, 1)`` or ``(1, 1)``."""
    return np.reshape(np.asarray(x, dtype=np.float64), (-1, 1))


@dataclass(frozen=True)
class Caseload:
    """Who the service reaches and the volunteers it needs, per draw and
    delivery year: arrays ``(n, years)``, or ``(n, 1)`` where a value is the
    same every year."""

    #: Referrals [women].
    referrals: np.ndarray
    #: Users, after the capacity cap [women].
    users: np.ndarray
    #: Engaged users [women].
    engaged: np.ndarray
    #: Cases of perinatal depression averted by the cohort [cases].
    cases_averted: np.ndarray
    #: Volunteers in the pool, the same every year, ``(n, 1)`` [volunteers].
    pool: np.ndarray
    #: Volunteers recruited: the pool in year 0, pool x turnover after [volunteers].
    recruited: np.ndarray
    #: Befriending contact hours [hours].
    contact_hours: np.ndarray
    #: Contact, training and supervision hours [hours].
    volunteer_hours: np.ndarray
    #: Women who would use the service before the capacity cap: referrals x
    #: uptake [women].
    demand: np.ndarray
    #: Women the volunteer pool can support in a year (pool x
    #: ``max_users_per_volunteer``), ``(n, 1)``; None without a cap [women/year].
    capacity: np.ndarray | None

    @property
    def years(self) -> int:
        """Delivery years T [years]."""
        return int(self.referrals.shape[1])


def caseload(scenario: Scenario, x: Inputs) -> Caseload:
    """The caseload of ``scenario`` for inputs ``x`` (docs/methodology.md
    sections 2 and 3)."""
    years = scenario.years
    ramp = np.asarray(scenario.ramp(), dtype=np.float64)[None, :]
    referrals = _col(x["delivery.referrals_per_year"]) * ramp
    demand = users = referrals * _col(x["delivery.uptake"])
    capacity = None
    if scenario.volunteers.max_users_per_volunteer is not None:
        capacity = _col(x["volunteers.pool"]) * _col(x["volunteers.max_users_per_volunteer"])
        users = np.minimum(demand, capacity)
    engaged = users * _col(x["delivery.engagement"])
    risk_without = _col(x["effect.risk_without"])
    if scenario.effect.relative_risk is not None:
        risk_with = risk_without * _col(x["effect.relative_risk"])
    else:
        risk_with = _col(x["effect.risk_with"])
    cases = engaged * (risk_without - risk_with)

    pool = _col(x["volunteers.pool"])
    first_year = (np.arange(years) == 0)[None, :]
    recruited = np.where(first_year, pool, pool * _col(x["volunteers.turnover"]))
    contact_hours = users * _col(x["volunteers.hours_per_user"])
    volunteer_hours = (
        contact_hours
        + recruited * _col(x["volunteers.training_hours"])
        + pool * _col(x["volunteers.supervision_hours_per_year"])
    )
    return Caseload(
        referrals,
        users,
        engaged,
        cases,
        pool,
        recruited,
        contact_hours,
        volunteer_hours,
        demand,
        capacity,
    )


# --------------------------------------------------------------------------- formulas


def every_year(c: Caseload) -> np.ndarray:
    """1 in each delivery year [years]."""
    return np.ones((1, c.years))


def first_year(c: Caseload) -> np.ndarray:
    """1 in year 0, 0 after [one-offs]."""
    return (np.arange(c.years) == 0)[None, :].astype(np.float64)


def referrals(c: Caseload) -> np.ndarray:
    """Referrals in the year [women]."""
    return c.referrals


def users(c: Caseload) -> np.ndarray:
    """Users in the year [women]."""
    return c.users


def engaged_users(c: Caseload) -> np.ndarray:
    """Engaged users in the year [women]."""
    return c.engaged


def cases_averted(c: Caseload) -> np.ndarray:
    """Cases averted by the year's cohort [cases]."""
    return c.cases_averted


def volunteers(c: Caseload) -> np.ndarray:
    """Volunteers in the pool in the year [volunteers]."""
    return c.pool * np.ones((1, c.years))


def volunteers_recruited(c: Caseload) -> np.ndarray:
    """Volunteers recruited in the year [volunteers]."""
    return c.recruited


Formula = Callable[[Caseload], np.ndarray]

#: Every driver formula by its name, as :mod:`sroi.vocabulary` names them.
FORMULAS: Mapping[str, Formula] = MappingProxyType(
    {
        f.__name__: f
        for f in (
            every_year,
            first_year,
            referrals,
            users,
            engaged_users,
            cases_averted,
            volunteers,
            volunteers_recruited,
        )
    }
)


def cost_driver(per: str, c: Caseload) -> np.ndarray:
    """Quantity of cost driver ``per`` (a key of
    :data:`~sroi.vocabulary.COST_DRIVERS`) per draw and delivery year."""
    return FORMULAS[vocabulary.COST_DRIVERS[per].formula](c)


def outcome_driver(per: str, c: Caseload) -> np.ndarray:
    """Quantity of outcome driver ``per`` (a key of
    :data:`~sroi.vocabulary.OUTCOME_DRIVERS`) per draw and delivery year."""
    return FORMULAS[vocabulary.OUTCOME_DRIVERS[per].formula](c)
