"""The SROI equations (docs/methodology.md §2 to §5), vectorised over draws and years.

Every function takes the scenario (for its structure: years, ramp, drivers,
payers, lags) and the sampled :data:`~sroi.sampling.sampler.Inputs` (a float
per fixed value, an array of ``n`` draws per uncertain one).  Arrays are
shaped ``(n, years)``; a computation whose inputs are all fixed broadcasts to
``(1, years)``.  Money is in the scenario's currency at ``price_year`` prices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sroi.engine.discounting import discount_factors
from sroi.engine.drivers import caseload, cost_driver, outcome_driver
from sroi.sampling.sampler import Inputs
from sroi.scenario.model import Scenario
from sroi.vocabulary import PAYERS, VALUE_TYPES


def _col(x: float | np.ndarray) -> np.ndarray:
    """A per-draw value as a column that broadcasts over years: ``(n, 1)`` or ``(1, 1)``."""
    return np.reshape(np.asarray(x, dtype=np.float64), (-1, 1))


@dataclass(frozen=True)
class Flows:
    """Per-draw, per-year results of one scenario.

    Arrays are ``(n, years)`` over delivery years ``0 .. T-1`` or ``(n, horizon)``
    over analysis years ``0 .. H-1``; ``n`` is 1 when every input is fixed.
    """

    #: Referrals per delivery year [women].
    referrals: np.ndarray
    #: Users per delivery year, after the capacity cap [women].
    users: np.ndarray
    #: Engaged users per delivery year [women].
    engaged: np.ndarray
    #: Cases of perinatal depression averted per cohort year [cases].
    cases_averted: np.ndarray
    #: Volunteer hours per delivery year [hours].
    volunteer_hours: np.ndarray
    #: Cost per analysis year, undiscounted [currency].
    cost: np.ndarray
    #: Value per analysis year and payer, undiscounted [currency].
    value_by_payer: dict[str, np.ndarray]
    #: Value per analysis year and value type, undiscounted [currency].
    value_by_type: dict[str, np.ndarray]
    #: Cashable value per analysis year, undiscounted [currency].
    value_cashable: np.ndarray
    #: Discount factor applied to value per analysis year [1].
    discount: np.ndarray
    #: Discount factor applied to cost (all 1 when discount_costs is false) [1].
    cost_discount: np.ndarray

    @property
    def horizon(self) -> int:
        """Analysis years H [years]."""
        return int(self.cost.shape[1])

    @property
    def value(self) -> np.ndarray:
        """Total value per analysis year, undiscounted [currency]."""
        total = np.zeros_like(self.value_cashable)
        for payer in PAYERS:
            total = total + self.value_by_payer[payer]
        return total


def horizon(scenario: Scenario) -> int:
    """Analysis years H: the last delivery year plus the longest possible lag and
    duration of any outcome [years]."""
    years = scenario.years
    last = years
    for outcome in scenario.outcomes.values():
        longest = math.ceil(outcome.duration.distribution().support()[1])
        lag = int(outcome.lag.central())
        if longest > 0:
            last = max(last, years + lag + longest)
    return last


def compute(scenario: Scenario, x: Inputs, horizon_years: int | None = None) -> Flows:
    """Every yearly quantity of docs/methodology.md §2 to §5, per draw, for one scenario.

    Parameters
    ----------
    scenario : Scenario
        The structure: years, ramp, cost drivers, outcomes, discounting.
    x : Inputs
        Values by dotted path: floats (fixed) or arrays of ``n`` draws.
    horizon_years : int, optional
        Analysis years H; at least :func:`horizon` (the default).
    """
    years = scenario.years
    big_h = max(horizon_years or 0, horizon(scenario))
    c = caseload(scenario, x)

    # Costs.
    post = "costs.coordinator"
    coordinator = (
        _col(x[f"{post}.fte"]) * _col(x[f"{post}.salary"]) * (1.0 + _col(x[f"{post}.on_costs"]))
    )
    cash = coordinator * np.ones((1, years))
    for line_id, line in scenario.costs.lines.items():
        cash = cash + _col(x[f"costs.lines.{line_id}.amount"]) * cost_driver(line.per, c)
    cash = cash + c.contact_hours * _col(x["volunteers.expenses_per_hour"])
    cash = cash * (1.0 + _col(x["costs.overhead_rate"])) * (1.0 + _col(x["costs.optimism_bias"]))
    if scenario.volunteers.value_time_as_input:
        cost_delivery = cash + c.volunteer_hours * _col(x["volunteers.value_per_hour"])
    else:
        cost_delivery = cash
    n = draws_in(x)
    cost = np.zeros((n, big_h))
    cost[:, :years] = cost_delivery

    # Outcomes.
    by_payer = {p: np.zeros((n, big_h)) for p in PAYERS}
    by_type = {t: np.zeros((n, big_h)) for t in VALUE_TYPES}
    cashable = np.zeros((n, big_h))
    for oid, outcome in scenario.outcomes.items():
        value = outcome_value(scenario, oid, x, outcome_driver(outcome.per, c), big_h)
        by_payer[outcome.payer] += value
        by_type[outcome.value_type] += value
        if outcome.cashable:
            cashable += value

    d = scenario.discounting
    rate = x["discounting.rate"] if d.rate is not None else None
    discount = np.reshape(discount_factors(big_h, d.schedule, d.convention, rate), (-1, big_h))
    cost_discount = discount if d.discount_costs else np.ones((1, big_h))
    return Flows(
        referrals=c.referrals,
        users=c.users,
        engaged=c.engaged,
        cases_averted=c.cases_averted,
        volunteer_hours=c.volunteer_hours,
        cost=cost,
        value_by_payer=by_payer,
        value_by_type=by_type,
        value_cashable=cashable,
        discount=discount,
        cost_discount=cost_discount,
    )


def draws_in(x: Inputs) -> int:
    """Number of draws ``n`` the inputs carry (1 when every value is fixed)."""
    return max((v.shape[0] for v in x.values() if isinstance(v, np.ndarray)), default=1)


def outcome_value(
    scenario: Scenario, oid: str, x: Inputs, driver: np.ndarray, big_h: int
) -> np.ndarray:
    """Value of one outcome per draw and analysis year, summed over cohorts
    [currency, undiscounted]; ``driver`` is its ``per`` per delivery year."""
    outcome = scenario.outcomes[oid]
    p = f"outcomes.{oid}"

    def adjustment(name: str) -> np.ndarray:
        own = f"{p}.{name}"
        return _col(x[own] if getattr(outcome, name) is not None else x[f"adjustments.{name}"])

    impact = (
        driver
        * _col(x[f"{p}.probability"])
        * _col(x[f"{p}.proxy"])
        * (1.0 - adjustment("deadweight"))
        * (1.0 - adjustment("attribution"))
        * (1.0 - adjustment("displacement"))
    )
    duration = _col(x[f"{p}.duration"])
    keep = 1.0 - adjustment("drop_off")
    lag = int(outcome.lag.central())
    years = impact.shape[1]
    longest = math.ceil(outcome.duration.distribution().support()[1])
    out = np.zeros((draws_in(x), big_h))
    for k in range(longest):
        # w_k = min(max(duration - k, 0), 1): a fractional last year counts pro rata.
        weight = np.clip(duration - k, 0.0, 1.0) * keep**k
        out[:, lag + k : lag + k + years] += impact * weight
    return out
