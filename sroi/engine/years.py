"""Value and cost per analysis year, built only where a per-year result
needs them: payback years (:mod:`sroi.engine.paybacks`) and cumulative net
positions.

Present values do not need per-year arrays (:mod:`sroi.engine.model` gives
those per draw).  Arrays here are year-major, ``(years, draws)``, so a
running sum over years is a sum of rows, and any window of years and any
subset of draws can be built on its own.

A perspective's value per year comes from its :class:`~sroi.engine.ledger.Ledger`
(its outcomes' columns, those spread alike added first); cumulative sums
run year by year; and cost, zero after the delivery years, is cumulated
over the delivery years and then held.  So payback years, ties included,
do not depend on which years and draws are built at once.
"""

from __future__ import annotations

import numpy as np

from sroi.engine.ledger import Ledger
from sroi.engine.model import Flows, padded
from sroi.vocabulary import PERSPECTIVES, Perspective


def perspective_outcomes(flows: Flows, perspective: Perspective) -> tuple[str, ...]:
    """Ids of the outcomes ``perspective`` counts: every outcome of its
    payers, in their order (for a cashable perspective, the cashable ones)."""
    if perspective.cashable_only:
        return flows.cashable_outcomes
    return tuple(o for payer in perspective.payers for o in flows.payer_outcomes.get(payer, ()))


def perspective_ledger(flows: Flows, perspective: Perspective) -> Ledger:
    """The discounted value ``perspective`` counts, as a :class:`Ledger`."""
    return Ledger.of(flows, perspective_outcomes(flows, perspective))


def cost_years(flows: Flows) -> dict[str, np.ndarray]:
    """Discounted cost per delivery year and draw, year-major ``(T, n)``, on
    each cost basis: ``cost_pv`` (volunteer time in kind included) and
    ``cash_cost_pv`` [currency].  Cost is zero after the delivery years."""
    t = flows.years
    return {
        "cost_pv": (flows.delivery_cost * flows.cost_discount[:, :t]).T,
        "cash_cost_pv": (flows.delivery_cash_cost * flows.cost_discount[:, :t]).T,
    }


def cost_sums(flows: Flows) -> dict[str, np.ndarray]:
    """Per draw: ``cost_total`` (cost over every year, undiscounted),
    ``cost_pv`` and ``cash_cost_pv`` [currency].

    Cost is zero after the delivery years, so each is a sum over the
    delivery years alone, row by row: a draw's sum does not depend on the
    other draws.
    """
    factors = flows.cost_discount[:, : flows.years]
    return {
        "cost_total": delivery_total(flows.delivery_cost),
        "cost_pv": delivery_total(flows.delivery_cost * factors),
        "cash_cost_pv": delivery_total(flows.delivery_cash_cost * factors),
    }


def delivery_total(per_year: np.ndarray) -> np.ndarray:
    """Sum over the delivery years of ``(n, T)`` values, per draw, added year
    by year in order: ``((y0 + y1) + y2) + ...`` [unit of the values].

    This is what ``np.sum(axis=1)`` gives for fewer than 8 years (beyond,
    numpy sums a row pairwise), at a fraction of its cost on short rows.
    """
    total = per_year[:, 0].copy()
    for year in range(1, per_year.shape[1]):
        total += per_year[:, year]
    return total


def cumulative(per_year: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Running sum over the years of a year-major array: ``np.cumsum(axis=0)``,
    the same sums in the same order, added row by row (several times faster
    than numpy's accumulate along the first axis); into ``out`` when given."""
    if out is None or out.shape != per_year.shape:
        out = np.empty_like(per_year)
    if per_year.shape[0]:
        out[0] = per_year[0]
    for y in range(1, per_year.shape[0]):
        np.add(out[y - 1], per_year[y], out=out[y])
    return out


def payback(
    cum_value: np.ndarray, cum_cost: np.ndarray, scratch: np.ndarray | None = None
) -> np.ndarray:
    """First analysis year whose cumulative discounted value >= cumulative
    cost, per draw; NaN when none.

    Both are year-major; ``cum_cost`` may stop at the last year with a cost
    (it is constant after), and either may have one column for every draw.
    ``scratch`` is a bool array of the result's shape the caller may lend.
    """
    years, costed = cum_value.shape[0], min(cum_cost.shape[0], cum_value.shape[0])
    n = max(cum_value.shape[1], cum_cost.shape[1])
    reached = scratch if scratch is not None and scratch.shape == (years, n) else None
    if reached is None:
        reached = np.empty((years, n), dtype=bool)
    np.greater_equal(cum_value[:costed], cum_cost[:costed], out=reached[:costed])
    if costed < years:
        np.greater_equal(cum_value[costed:], cum_cost[costed - 1], out=reached[costed:])
    # The first year reached is the one of highest rank H - y among those
    # reached (0: none); a maximum over rows is much faster than an argmax
    # down the columns of a year-major array.
    rank = np.arange(years, 0, -1, dtype=_rank_type(years))
    best = np.max(reached * rank[:, np.newaxis], axis=0, initial=0)
    return np.where(best > 0, years - best, np.nan)


def _rank_type(years: int) -> type[np.signedinteger]:
    """The narrowest integer type that holds ranks up to ``years``: the
    narrower, the less memory the search for the first year reads."""
    for kind in (np.int8, np.int16, np.int32):
        if years <= np.iinfo(kind).max:
            return kind
    return np.int64


def payback_years(flows: Flows, perspective: Perspective) -> int:
    """Analysis years that decide ``perspective``'s payback year: up to the
    last year with a cost or with value to it [years].

    From that year on neither its value nor its cost changes the running
    sums (value adds zero, cost is held), so a draw that has not paid back
    by then never does, and its payback year is found in these years alone.
    """
    return value_years(flows, perspective_outcomes(flows, perspective))


def value_years(flows: Flows, outcomes: tuple[str, ...]) -> int:
    """Analysis years up to the last with a cost or with value of
    ``outcomes`` [years]."""
    return min(flows.horizon, max(flows.reach(outcomes), flows.years))


def cumulative_net(
    flows: Flows, keep: slice | None = None, society: np.ndarray | None = None
) -> np.ndarray:
    """Cumulative discounted net position per draw and analysis year, ``(n, H)``
    [currency]: cumulative discounted value minus cumulative cost on the
    cost_pv basis, of the draws ``keep`` (all when None).  ``society`` is the
    value to every payer of those draws per year, year-major (the rows of
    its :func:`perspective_ledger`), when the caller has it."""
    if society is None:
        ledger = perspective_ledger(flows, PERSPECTIVES["society"])
        society = ledger.rows(0, flows.horizon, keep if flows.draws > 1 else None)
    cost, factors = flows.delivery_cost, flows.cost_discount
    if keep is not None:
        cost = cost[keep] if cost.shape[0] > 1 else cost
        factors = factors[keep] if factors.shape[0] > 1 else factors
    cost = padded(cost, flows.horizon)
    net = cumulative(society - (cost * factors).T)
    return np.ascontiguousarray(net.T)
