"""The SROI equations (docs/methodology.md §2 to §5), vectorised over draws and years.

Every function takes the scenario (for its structure: years, ramp, drivers,
payers, lags) and the sampled :data:`~sroi.sampling.sampler.Inputs` (a float
per fixed value, an array of ``n`` draws per uncertain one).  Arrays are
shaped ``(n, years)``; a computation whose inputs are all fixed broadcasts to
``(1, years)``.  Money inputs are as written; :func:`compute` converts each to
the scenario's ``price_year`` prices (:func:`~sroi.scenario.money.price_factors`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from sroi.engine.discounting import discount_factors
from sroi.engine.drivers import caseload, cost_driver, outcome_driver
from sroi.sampling.sampler import Inputs
from sroi.scenario.model import Scenario
from sroi.scenario.money import price_factors
from sroi.vocabulary import COST_DRIVERS, PAYERS, VALUE_TYPES

#: Which draws of a per-draw array: a slice, an index array, or all (None).
Draws = slice | np.ndarray | None


def _col(x: float | np.ndarray) -> np.ndarray:
    """A per-draw value as a column that broadcasts over years: ``(n, 1)`` or ``(1, 1)``."""
    return np.reshape(np.asarray(x, dtype=np.float64), (-1, 1))


@dataclass(frozen=True)
class Flows:
    """Per-draw results of one scenario, with what it takes to build its
    per-year value arrays on demand.

    Arrays are ``(n, years)`` over delivery years ``0 .. T-1`` or ``(n, horizon)``
    over analysis years ``0 .. H-1``; ``n`` is 1 when every input is fixed.
    Money is at the scenario's ``price_year`` prices.  Value per year is not
    stored: it is built from each outcome's :class:`Placement` when a per-year
    output asks for it (:meth:`discounted_years`, :meth:`value_years`), for
    every draw or only the draws kept.  Each outcome is discounted on its own
    schedule.
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
    #: Cost per draw and delivery year, undiscounted, volunteer time in kind
    #: included, ``(n, T)`` [currency]; zero in later analysis years.
    delivery_cost: np.ndarray
    #: Cash cost per draw and delivery year, undiscounted: cost without
    #: volunteer time, ``(n, T)`` [currency].
    delivery_cash_cost: np.ndarray
    #: Present value per value type, one per draw [currency].
    pv_by_type: dict[str, np.ndarray]
    #: Present value of cashable outcomes, one per draw [currency].
    pv_cashable: np.ndarray
    #: Discount factor of the scenario's schedule per analysis year, used for
    #: outcomes without their own schedule [1].
    discount: np.ndarray
    #: Discount factor applied to cost (all 1 when discount_costs is false) [1].
    cost_discount: np.ndarray
    #: Present value per payer, one per draw [currency].
    pv_by_payer: dict[str, np.ndarray]
    #: Each outcome's value columns and where they fall, by outcome id.
    placements: dict[str, Placement]
    #: Each outcome's discount factors per analysis year, ``(1 or n, H)`` [1].
    outcome_discount: dict[str, np.ndarray]
    #: Outcome ids of each payer, in the scenario's order.
    payer_outcomes: dict[str, tuple[str, ...]]
    #: Ids of the cashable outcomes, in the scenario's order.
    cashable_outcomes: tuple[str, ...]
    #: Delivery years T [years].
    years: int
    #: Draws n of the per-draw arrays (1 when every input is fixed).
    draws: int
    #: Analysis years H [years].
    horizon: int

    @property
    def cost(self) -> np.ndarray:
        """Cost per draw and analysis year, undiscounted, volunteer time in
        kind included, ``(n, H)`` [currency]."""
        return padded(self.delivery_cost, self.horizon)

    @property
    def cash_cost(self) -> np.ndarray:
        """Cash cost per draw and analysis year, undiscounted, ``(n, H)`` [currency]."""
        return padded(self.delivery_cash_cost, self.horizon)

    def discounted_years(self, outcomes: tuple[str, ...], keep: Draws = None) -> np.ndarray:
        """Discounted value of ``outcomes`` together per analysis year and
        draw (the draws ``keep``: a slice, an index array, or all when
        None), year-major: shape ``(H, draws)`` [currency].  Each element is
        summed over the outcomes' columns in their order, whatever the draws
        asked for."""
        return _years(self, outcomes, keep, discounted=True)

    def value_years(self, outcomes: tuple[str, ...], keep: Draws = None) -> np.ndarray:
        """Undiscounted value of ``outcomes`` together, as :meth:`discounted_years`."""
        return _years(self, outcomes, keep, discounted=False)

    def reach(self, outcomes: tuple[str, ...]) -> int:
        """Analysis years that the value of ``outcomes`` can fall in: from
        this year on, their value per year is zero in every draw [years]."""
        return max((self.placements[oid].reach for oid in outcomes), default=0)

    @property
    def value_by_payer(self) -> dict[str, np.ndarray]:
        """Value per draw, analysis year and payer, undiscounted, ``(n, H)`` [currency]."""
        return {p: self.value_years(ids).T for p, ids in self.payer_outcomes.items()}

    @property
    def discounted_by_payer(self) -> dict[str, np.ndarray]:
        """Value per draw, analysis year and payer, each outcome discounted on
        its own schedule, ``(n, H)`` [currency]."""
        return {p: self.discounted_years(ids).T for p, ids in self.payer_outcomes.items()}

    @property
    def discounted_cashable(self) -> np.ndarray:
        """Value of cashable outcomes per draw and analysis year, discounted
        on each outcome's schedule, ``(n, H)`` [currency]."""
        return self.discounted_years(self.cashable_outcomes).T

    @property
    def value(self) -> np.ndarray:
        """Total value per draw and analysis year, undiscounted, ``(n, H)`` [currency]."""
        return _total(self.value_by_payer)

    @property
    def value_discounted(self) -> np.ndarray:
        """Total discounted value per draw and analysis year, ``(n, H)`` [currency]."""
        return _total(self.discounted_by_payer)


def _years(flows: Flows, ids: tuple[str, ...], keep: Draws, discounted: bool) -> np.ndarray:
    out = np.zeros((flows.horizon, draw_count(flows.draws, keep)))
    scratch = np.empty_like(out)
    for oid in ids:
        placed = flows.placements[oid]
        factors = flows.outcome_discount[oid]
        if not discounted:
            placed.add_to(out, None, keep, scratch)
        elif factors.shape[0] == 1:
            placed.add_to(out, factors[0], keep, scratch)
        else:
            values = np.zeros_like(out)
            placed.add_to(values, None, keep, scratch)
            draws = factors if keep is None else factors[keep]
            out += values * draws.T
    return out


def draw_count(draws: int, keep: Draws) -> int:
    """Number of the ``draws`` that ``keep`` picks."""
    if keep is None:
        return draws
    if isinstance(keep, slice):
        return len(range(draws)[keep])
    return int(keep.shape[0])


def padded(delivery: np.ndarray, horizon: int) -> np.ndarray:
    """Per-delivery-year values ``(n, T)`` over ``horizon`` analysis years,
    zero after the delivery years, ``(n, horizon)``."""
    out = np.zeros((delivery.shape[0], horizon))
    out[:, : delivery.shape[1]] = delivery
    return out


def _total(by_payer: dict[str, np.ndarray]) -> np.ndarray:
    arrays = [by_payer[p] for p in PAYERS]
    total = np.zeros(np.broadcast_shapes(*(a.shape for a in arrays)))
    for a in arrays:
        total = total + a
    return total


def horizon(scenario: Scenario) -> int:
    """Analysis years H: the last delivery year plus the longest possible lag and
    duration of any outcome, or the last year of its spread [years]."""
    years = scenario.years
    last = years
    for outcome in scenario.outcomes.values():
        lag = int(outcome.lag.central())
        if outcome.spread is not None:
            last = max(last, years + lag + outcome.spread.start + outcome.spread.years - 1)
            continue
        longest = math.ceil(outcome.duration.distribution().support()[1])
        if longest > 0:
            last = max(last, years + lag + longest)
    return last


@dataclass(frozen=True)
class Discounts:
    """Discount factors of one scenario per analysis year, shape ``(1, H)``
    (or ``(n, H)`` for a constant rate drawn per draw) [1]."""

    #: Factors of the scenario's schedule: value of outcomes without their own.
    value: np.ndarray
    #: Factors applied to costs: the scenario's schedule, except that
    #: ``green_book_health`` discounts costs at the ``green_book`` rates; all 1
    #: when ``discount_costs`` is false.
    cost: np.ndarray
    #: Factors of each outcome's own schedule, by outcome id.
    outcome: dict[str, np.ndarray]


def discounts(scenario: Scenario, x: Inputs, big_h: int) -> Discounts:
    """The discount factors of ``scenario`` over ``big_h`` analysis years."""
    d = scenario.discounting
    rate = x["discounting.rate"] if d.rate is not None else None
    cache: dict[str, np.ndarray] = {}

    def factors(schedule: str) -> np.ndarray:
        if schedule not in cache:
            r = rate if schedule == "constant" else None
            cache[schedule] = np.reshape(
                discount_factors(big_h, schedule, d.convention, r), (-1, big_h)
            )
        return cache[schedule]

    value = factors(d.schedule)
    cost_schedule = "green_book" if d.schedule == "green_book_health" else d.schedule
    cost = factors(cost_schedule) if d.discount_costs else np.ones((1, big_h))
    own = {
        oid: factors(o.discount_schedule) if o.discount_schedule is not None else value
        for oid, o in scenario.outcomes.items()
    }
    return Discounts(value, cost, own)


def compute(
    scenario: Scenario,
    x: Inputs,
    horizon_years: int | None = None,
    prices: dict[str, float] | None = None,
) -> Flows:
    """Every yearly quantity of docs/methodology.md §2 to §5, per draw, for one scenario.

    Present values come from each outcome's value columns and fixed
    discount vectors (:class:`Placement`); value per year is built later,
    only where a per-year output needs it (:meth:`Flows.discounted_years`).

    Parameters
    ----------
    scenario : Scenario
        The structure: years, ramp, cost drivers, outcomes, discounting.
    x : Inputs
        Values by dotted path: floats (fixed) or arrays of ``n`` draws, money
        as written (each is converted to the scenario's price year here).
    horizon_years : int, optional
        Analysis years H; at least :func:`horizon` (the default).
    prices : dict, optional
        The scenario's :func:`~sroi.scenario.money.price_factors`, when the
        caller has them (they are worked out otherwise).
    """
    years = scenario.years
    big_h = max(horizon_years or 0, horizon(scenario))
    c = caseload(scenario, x)
    prices = prices if prices is not None else price_factors(scenario)

    def money(path: str) -> np.ndarray:
        return _col(x[path]) * prices[path]

    # Costs.
    post = "costs.coordinator"
    coordinator = (
        _col(x[f"{post}.fte"]) * money(f"{post}.salary") * (1.0 + _col(x[f"{post}.on_costs"]))
    )
    n = draws_in(x)
    # Added and multiplied in place, in the formula's order: a fresh
    # (n, T) array, then each term.
    cash = np.empty((n, years))
    cash[...] = coordinator
    for line_id, line in scenario.costs.lines.items():
        amount = money(f"costs.lines.{line_id}.amount")
        formula = COST_DRIVERS[line.per].formula
        # The same sums without multiplying by a driver of ones and zeros:
        # x * 1 is x, and adding x * 0 to a cost changes nothing.
        if formula == "every_year":
            cash += amount
        elif formula == "first_year":
            cash[:, :1] += amount
        else:
            cash += amount * cost_driver(line.per, c)
    cash += c.contact_hours * money("volunteers.expenses_per_hour")
    cash *= 1.0 + _col(x["costs.overhead_rate"])
    cash *= 1.0 + _col(x["costs.optimism_bias"])
    cash_cost = cash
    if scenario.volunteers.value_time_as_input:
        cost = cash + c.volunteer_hours * money("volunteers.value_per_hour")
    else:
        cost = cash.copy()

    # Outcomes: each one's value columns and its PV per draw.
    disc = discounts(scenario, x, big_h)
    placed = {
        oid: place_outcome(
            scenario, oid, x, outcome_driver(o.per, c), big_h, disc.outcome[oid], prices
        )
        for oid, o in scenario.outcomes.items()
    }
    pv_by_payer = {p: np.zeros(n) for p in PAYERS}
    pv_by_type = {t: np.zeros(n) for t in VALUE_TYPES}
    pv_cashable = np.zeros(n)
    for oid, outcome in scenario.outcomes.items():
        pv = placed[oid].pv(disc.outcome[oid])
        pv_by_payer[outcome.payer] += pv
        pv_by_type[outcome.value_type] += pv
        if outcome.cashable:
            pv_cashable += pv

    return Flows(
        referrals=c.referrals,
        users=c.users,
        engaged=c.engaged,
        cases_averted=c.cases_averted,
        volunteer_hours=c.volunteer_hours,
        delivery_cost=cost,
        delivery_cash_cost=cash_cost,
        pv_by_type=pv_by_type,
        pv_cashable=pv_cashable,
        discount=disc.value,
        cost_discount=disc.cost,
        pv_by_payer=pv_by_payer,
        placements=placed,
        outcome_discount=disc.outcome,
        payer_outcomes={
            payer: tuple(oid for oid, o in scenario.outcomes.items() if o.payer == payer)
            for payer in PAYERS
        },
        cashable_outcomes=tuple(oid for oid, o in scenario.outcomes.items() if o.cashable),
        years=years,
        draws=n,
        horizon=big_h,
    )


@dataclass(frozen=True)
class Placement:
    """One outcome's value as per-draw columns and where each column falls.

    Its value per draw and analysis year is ``columns.T @ matrix``, and its
    present value ``columns.T @ (discount @ matrix.T)``: with a fixed
    discount vector, a matrix-vector product.  Both are written as explicit
    sums over the columns, in column order, so a draw's numbers do not
    depend on how many draws are computed at once (a BLAS product may sum in
    another order for another number of rows).
    """

    #: Value columns, one row per column, shape ``(m, n or 1)`` [currency at
    #: the price year].
    columns: np.ndarray
    #: How each column is spread over analysis years, shape ``(m, H)`` [1].
    matrix: np.ndarray

    @property
    def width(self) -> int:
        """Number of columns m."""
        return int(self.matrix.shape[0])

    @cached_property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """For each column, the analysis years ``lo .. hi-1`` it reaches."""
        out = []
        for row in self.matrix:
            (nonzero,) = np.nonzero(row)
            out.append((int(nonzero[0]), int(nonzero[-1]) + 1) if nonzero.size else (0, 0))
        return tuple(out)

    @cached_property
    def reach(self) -> int:
        """Analysis years the columns can fall in: none reaches this year or later."""
        return max((hi for _, hi in self.spans), default=0)

    @cached_property
    def steps(self) -> tuple[tuple[int, int, int, int], ...]:
        """The columns in runs ``(first, stop, lo, hi)`` that each add to an
        element of the value at most once: one column over years
        ``lo .. hi-1``, or consecutive columns that each reach one year,
        consecutive years ``lo .. hi-1``.  Adding run by run, in order, adds
        to each element in column order."""
        runs: list[list[int]] = []
        for i, (lo, hi) in enumerate(self.spans):
            if hi == lo:
                continue
            last = runs[-1] if runs else None
            if (
                hi - lo == 1
                and last is not None
                and last[1] == i
                and last[3] - last[2] == last[1] - last[0]
                and last[3] == lo
            ):
                last[1], last[3] = i + 1, hi
            else:
                runs.append([i, i + 1, lo, hi])
        return tuple((a, b, lo, hi) for a, b, lo, hi in runs)

    def add_to(
        self,
        out: np.ndarray,
        factors: np.ndarray | None = None,
        keep: Draws = None,
        scratch: np.ndarray | None = None,
    ) -> None:
        """Add the value per analysis year and draw to ``out`` ``(H, n)``
        (year-major), each year multiplied by ``factors`` ``(H,)`` when given,
        for the draws ``keep`` of the columns (a slice or index array; all
        when None) [currency].  ``scratch``, shaped as ``out``, saves
        allocating a temporary per step."""
        columns = self.columns
        if keep is not None and columns.shape[1] > 1:
            columns = columns[:, keep]
        if scratch is None or scratch.shape != out.shape:
            scratch = np.empty(out.shape)
        for first, stop, lo, hi in self.steps:
            if stop - first == 1:
                weights = self.matrix[first, lo:hi]
            else:
                weights = self.matrix[np.arange(first, stop), np.arange(lo, hi)]
            if factors is not None:
                weights = weights * factors[lo:hi]
            product = scratch[: hi - lo]
            np.multiply(columns[first:stop], weights[:, np.newaxis], out=product)
            np.add(out[lo:hi], product, out=out[lo:hi])

    def values(self, n: int = 1) -> np.ndarray:
        """Value per draw and analysis year, undiscounted, shape
        ``(max(n, draws of columns), H)`` [currency]."""
        out = np.zeros((self.matrix.shape[1], max(n, self.columns.shape[1])))
        self.add_to(out)
        return out.T

    def pv(self, discount: np.ndarray) -> np.ndarray:
        """Present value per draw, with discount factors ``(1 or n, H)`` [currency]."""
        weights = np.zeros((discount.shape[0], self.width))
        for i, (lo, hi) in enumerate(self.spans):
            weights[:, i] = np.sum(discount[:, lo:hi] * self.matrix[i, lo:hi], axis=1)
        total = np.zeros(max(self.columns.shape[1], weights.shape[0]))
        term = np.empty_like(total)
        for i in range(self.width):
            np.multiply(self.columns[i], weights[:, i], out=term)
            total += term
        return total


def draws_in(x: Inputs) -> int:
    """Number of draws ``n`` the inputs carry (1 when every value is fixed)."""
    return max((v.shape[0] for v in x.values() if isinstance(v, np.ndarray)), default=1)


def place_outcome(
    scenario: Scenario,
    oid: str,
    x: Inputs,
    driver: np.ndarray,
    big_h: int,
    discount: np.ndarray,
    prices: dict[str, float] | None = None,
) -> Placement:
    """Value of one outcome as columns and their placement over analysis
    years, summed over cohorts [currency at the scenario's price year,
    undiscounted].

    ``driver`` is its ``per`` per delivery year; ``discount`` its discount
    factors per analysis year, shape ``(1 or n, big_h)``, which place a
    spread so that its present value is the impact's; ``prices`` the
    scenario's :func:`~sroi.scenario.money.price_factors` (computed when
    not given).

    A cohort's impact lasting ``duration`` years gives one column per cohort
    t and year k of its duration, the impact times the weight
    ``w_k = min(max(duration - k, 0), 1) keep^k`` (a fractional last year
    counts pro rata), placed at year lag + t + k.  A spread gives one column
    per cohort, its impact times ``A_t = DF(b) / sum_j w_j DF(b + start + j)``
    at b = t + lag, placed over years b + start + j in proportion to w_j, so
    that its present value is impact DF(b) exactly.
    """
    outcome = scenario.outcomes[oid]
    p = f"outcomes.{oid}"
    prices = prices if prices is not None else price_factors(scenario)

    def adjustment(name: str) -> np.ndarray:
        own = f"{p}.{name}"
        return _col(x[own] if getattr(outcome, name) is not None else x[f"adjustments.{name}"])

    proxy = _col(x[f"{p}.proxy"]) * prices[f"{p}.proxy"]
    impact = _product_rows(
        driver,
        [
            _col(x[f"{p}.probability"]),
            proxy,
            1.0 - adjustment("deadweight"),
            1.0 - adjustment("attribution"),
            1.0 - adjustment("displacement"),
        ],
    )
    lag = int(outcome.lag.central())
    years = impact.shape[0]
    if outcome.spread is not None:
        w = np.asarray(outcome.spread.profile(), dtype=np.float64)
        start = outcome.spread.start
        matrix = np.zeros((years, big_h))
        scale = np.empty((years, discount.shape[0]))
        for t in range(years):
            b = t + lag
            first = b + start
            matrix[t, first : first + w.size] = w
            scale[t] = discount[:, b] / np.sum(discount[:, first : first + w.size] * w, axis=1)
        return Placement(impact * scale, matrix)
    duration = _col(x[f"{p}.duration"]).T
    keep = (1.0 - adjustment("drop_off")).T
    longest = math.ceil(outcome.duration.distribution().support()[1])
    rows = years * longest
    if rows > big_h:
        # More columns than analysis years: add them up year by year, so
        # memory stays that of one (n, H) array whatever the duration.
        return _by_year(impact, duration, keep, longest, lag, big_h)
    matrix = np.zeros((rows, big_h))
    for k in range(longest):
        for t in range(years):
            matrix[k * years + t, lag + k + t] = 1.0
    if longest == 0:
        return Placement(np.zeros((0, 1)), matrix)
    n = max(impact.shape[1], duration.shape[1], keep.shape[1])
    columns = np.empty((rows, n))
    for k in range(longest):
        weight = np.clip(duration - k, 0.0, 1.0) * keep**k
        np.multiply(impact, weight, out=columns[k * years : (k + 1) * years])
    return Placement(columns, matrix)


def _product_rows(driver: np.ndarray, factors: list[np.ndarray]) -> np.ndarray:
    """``driver`` ``(1 or n, T)`` times each per-draw column of ``factors``
    ``(1 or n, 1)`` in turn, left to right, year-major: shape ``(T, 1 or n)``.
    Each element is the product of the same numbers in the same order as
    ``driver * f1 * f2 ...``; it is only laid out transposed, and written in
    place."""
    rows = [f.T for f in factors]
    out = np.empty(np.broadcast_shapes(driver.T.shape, *(r.shape for r in rows)))
    np.multiply(driver.T, rows[0], out=out)
    for r in rows[1:]:
        np.multiply(out, r, out=out)
    return out


def _by_year(
    impact: np.ndarray,
    duration: np.ndarray,
    keep: np.ndarray,
    longest: int,
    lag: int,
    big_h: int,
) -> Placement:
    """:func:`place_outcome`'s columns summed into one column per analysis
    year (placed by the identity): the same value, in ``(n, H)`` memory.
    ``impact`` is year-major ``(T, 1 or n)``; ``duration`` and ``keep`` are
    rows ``(1, 1 or n)``."""
    years = impact.shape[0]
    n = max(impact.shape[1], duration.shape[1], keep.shape[1])
    out = np.zeros((big_h, n))
    for k in range(longest):
        weight = np.clip(duration - k, 0.0, 1.0) * keep**k
        out[lag + k : lag + k + years] += impact * weight
    return Placement(out, np.eye(big_h))


def outcome_value(
    scenario: Scenario,
    oid: str,
    x: Inputs,
    driver: np.ndarray,
    big_h: int,
    discount: np.ndarray,
) -> np.ndarray:
    """Value of one outcome per draw and analysis year, summed over cohorts
    [currency at the scenario's price year, undiscounted], shape ``(n, big_h)``
    (see :func:`place_outcome`)."""
    return place_outcome(scenario, oid, x, driver, big_h, discount).values(draws_in(x))
