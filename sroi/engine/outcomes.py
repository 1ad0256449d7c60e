"""Each outcome's own quantity and present value, base case and per draw.

A run's metrics add every outcome together; a value map (SROI Guide stage 4)
needs them one by one.  :func:`split` takes the inputs and flows a run has
already computed and keeps each outcome apart; the runner calls it on every
chunk when asked to keep outcomes (``sroi.run(..., keep_outcomes=True)``), so
nothing is sampled twice.  Summed over outcomes, the present values equal the
run's ``value_pv`` draw by draw, up to rounding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sroi.engine.drivers import caseload, outcome_driver
from sroi.engine.model import Flows
from sroi.sampling.sampler import Inputs
from sroi.scenario.model import Scenario


@dataclass(frozen=True)
class OutcomeSplit:
    """Each outcome of one scenario apart, for ``n`` draws (``n`` may be 1
    when none of its inputs is uncertain).  Keys are outcome ids, in the
    scenario's order."""

    #: Driver per draw and delivery year, shape ``(n, years)`` [unit of its ``per``].
    driver: dict[str, np.ndarray]
    #: Quantity (driver x probability) summed over cohort years, shape ``(n,)`` [units].
    quantity: dict[str, np.ndarray]
    #: Present value, shape ``(n,)`` [currency, price year].
    pv: dict[str, np.ndarray]

    def kept(self, n: int, keep: slice | np.ndarray) -> OutcomeSplit:
        """Quantity and PV of the draws ``keep`` of ``n`` (drivers dropped)."""
        return OutcomeSplit(
            {},
            {k: np.broadcast_to(v, (n,))[keep] for k, v in self.quantity.items()},
            {k: np.broadcast_to(v, (n,))[keep] for k, v in self.pv.items()},
        )


def split(scenario: Scenario, x: Inputs, flows: Flows) -> OutcomeSplit:
    """Driver per delivery year, quantity and PV of each outcome, per draw,
    from the ``flows`` the engine computed for ``scenario`` with inputs ``x``."""
    reached = caseload(scenario, x)
    driver, quantity, pv = {}, {}, {}
    for oid, outcome in scenario.outcomes.items():
        d = outcome_driver(outcome.per, reached)
        probability = np.reshape(np.asarray(x[f"outcomes.{oid}.probability"]), (-1, 1))
        driver[oid] = d
        quantity[oid] = np.sum(d * probability, axis=1)
        pv[oid] = flows.placements[oid].pv(flows.outcome_discount[oid])
    return OutcomeSplit(driver, quantity, pv)


@dataclass(frozen=True)
class OutcomeValues:
    """Quantity and present value of each outcome of one scenario.

    Keys of every mapping are outcome ids, in the scenario's order.
    """

    #: Driver of each outcome per delivery year, base case [unit of its ``per``].
    base_driver: dict[str, np.ndarray]
    #: Quantity (driver x probability) summed over cohort years, base case [units].
    base_quantity: dict[str, float]
    #: Present value, base case [currency, price year].
    base_pv: dict[str, float]
    #: Quantity per kept draw (empty when the run had no draws) [units].
    quantity: dict[str, np.ndarray]
    #: Present value per kept draw (empty when the run had no draws) [currency].
    pv: dict[str, np.ndarray]

    @classmethod
    def of(cls, base: OutcomeSplit, draws: OutcomeSplit | None) -> OutcomeValues:
        """From the base case's split and that of the kept draws (None: no draws)."""
        ids = list(base.pv)
        return cls(
            base_driver={k: base.driver[k][0].copy() for k in ids},
            base_quantity={k: float(base.quantity[k][0]) for k in ids},
            base_pv={k: float(base.pv[k][0]) for k in ids},
            quantity=dict(draws.quantity) if draws is not None else {},
            pv=dict(draws.pv) if draws is not None else {},
        )
