"""Each outcome's own quantity and present value, base case and per draw.

A run's metrics add every outcome together; a value map (SROI Guide stage 4)
needs them one by one.  :func:`outcome_values` recomputes the run's own draws
(same scenarios, same seed: every value has its own stream, so the draws are
the run's, bit for bit) and keeps each outcome apart.  Summed over outcomes,
its present values equal the run's ``value_pv`` draw by draw, up to rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sroi.engine.accumulate import stored_indices
from sroi.engine.drivers import caseload, outcome_driver
from sroi.engine.model import compute, outcome_value
from sroi.engine.runner import DEFAULT_CHUNK, RunPlan, chunks
from sroi.sampling.sampler import Inputs
from sroi.scenario.model import Scenario


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


def _split(
    scenario: Scenario, x: Inputs, horizon: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Driver per delivery year, quantity and PV of each outcome, per draw."""
    flows = compute(scenario, x, horizon)
    reached = caseload(scenario, x)
    driver, quantity, pv = {}, {}, {}
    for oid, outcome in scenario.outcomes.items():
        d = outcome_driver(outcome.per, reached)
        value = outcome_value(scenario, oid, x, d, flows.horizon)
        probability = np.reshape(np.asarray(x[f"outcomes.{oid}.probability"]), (-1, 1))
        driver[oid] = d
        quantity[oid] = np.sum(d * probability, axis=1)
        pv[oid] = np.sum(value * flows.discount, axis=1)
    return driver, quantity, pv


def outcome_values(
    scenarios: Sequence[Scenario],
    seed: int,
    draws: int,
    step: int = 1,
    chunk_size: int = DEFAULT_CHUNK,
) -> dict[str, OutcomeValues]:
    """Each outcome's quantity and PV in the base case and in draws ``0 .. draws-1``
    of a run of ``scenarios`` with ``seed``, keyed by scenario id.

    Every ``step``-th draw is kept (draws 0, step, 2 step, ...): pass a run's
    ``Results.stored_every`` to keep exactly the draws it stored.

    Examples
    --------
    >>> import sroi
    >>> s = sroi.load_scenario("scenarios/family_action_pss/oxford.yaml")
    >>> results = sroi.run(s, draws=50, seed=1)
    >>> split = outcome_values([s], seed=1, draws=50, step=results.stored_every)["oxford"]
    >>> total = sum(split.pv.values())
    >>> bool(np.allclose(total, results.metric("value_pv", "oxford"), rtol=1e-12))
    True
    """
    plan = RunPlan.build(list(scenarios), seed)
    out: dict[str, OutcomeValues] = {}
    for scenario, sampler in zip(plan.scenarios, plan.samplers, strict=True):
        drivers, base_q, base_pv = _split(scenario, sampler.central(), plan.horizon)
        parts: list[tuple[dict[str, np.ndarray], dict[str, np.ndarray]]] = []
        for start, stop in chunks(draws, chunk_size):
            _, q, pv = _split(scenario, sampler.draws(start, stop), plan.horizon)
            keep = stored_indices(start, stop, step)
            n = stop - start
            parts.append(
                (
                    {k: np.broadcast_to(v, (n,))[keep] for k, v in q.items()},
                    {k: np.broadcast_to(v, (n,))[keep] for k, v in pv.items()},
                )
            )
        ids = list(scenario.outcomes)
        out[scenario.id] = OutcomeValues(
            base_driver={k: drivers[k][0].copy() for k in ids},
            base_quantity={k: float(base_q[k][0]) for k in ids},
            base_pv={k: float(base_pv[k][0]) for k in ids},
            quantity={k: np.concatenate([p[0][k] for p in parts]) for k in ids} if parts else {},
            pv={k: np.concatenate([p[1][k] for p in parts]) for k in ids} if parts else {},
        )
    return out
