"""Discounted value per analysis year, kept as weighted columns.

An outcome's value is a few columns per draw, each spread over the years by
fixed discounted weights (:class:`~sroi.engine.model.Placement`).  Columns
that share their weights, which the outcomes of one payer, of one kind of
cost avoided, or of every scenario of a programme often do, are added into
one column, so value per year costs one product per distinct spread
instead of one per outcome and cohort.  A :class:`Ledger` builds value per
year for any window of years and any subset of draws, from its columns
alone.

Value per year is the sum over a ledger's columns, in the order each
first appeared, of the column times its weight in that year; a column is
the sum, in the order added, of the columns put into it.  So a year's value
does not depend on which years or draws are built at once.
"""

from __future__ import annotations

import numpy as np

from sroi.engine.model import Draws, Flows, draw_count


class Ledger:
    """Value per analysis year of some outcomes: columns with their weights,
    plus an array per year for value that cannot be put so.

    A column holds value per draw [currency]; its weights give the share
    of it in each analysis year, discounted [1].  Value whose discount
    factors are drawn per draw goes to :attr:`per_year` instead, and so does
    every column once there are more columns than years.
    """

    def __init__(self, horizon: int, draws: int) -> None:
        """An empty ledger over ``horizon`` analysis years and ``draws`` draws."""
        #: Analysis years H and draws n.
        self.horizon, self.draws = horizon, draws
        #: Value per draw of each column, ``(n,)`` [currency].
        self.columns: list[np.ndarray] = []
        #: Discounted weight per analysis year of each column, ``(H,)`` [1].
        self.weights: list[np.ndarray] = []
        #: Years ``lo .. hi-1`` each column reaches.
        self.spans: list[tuple[int, int]] = []
        # Whether each column is an array this ledger made and may add into
        # in place; a column added as it came is shared with its maker, and
        # is replaced by a new sum when another is added to it.
        self._owned: list[bool] = []
        #: Value per year and draw not kept as columns, ``(H, n)``, or None.
        self.per_year: np.ndarray | None = None
        self._by_weights: dict[bytes, int] = {}

    @classmethod
    def of(cls, flows: Flows, outcomes: tuple[str, ...], draws: int | None = None) -> Ledger:
        """The discounted value of ``outcomes`` of one scenario, in their order."""
        ledger = cls(flows.horizon, draws if draws is not None else flows.draws)
        for oid in outcomes:
            ledger.add_outcome(flows, oid)
        return ledger

    def add_outcome(self, flows: Flows, oid: str) -> None:
        """Add one outcome's discounted value, column by column."""
        placed, factors = flows.placements[oid], flows.outcome_discount[oid]
        if factors.shape[0] > 1:  # a rate drawn per draw: weights differ by draw
            self.add_years(flows.discounted_years((oid,)))
            return
        weights = placed.matrix * factors[0]
        for i in range(placed.width):
            self.add(placed.columns[i], weights[i])

    def add(self, column: np.ndarray, weights: np.ndarray) -> None:
        """Add value ``column`` (per draw, or one for every draw) spread over
        the years by ``weights`` ``(H,)``."""
        if self.per_year is not None:
            lo, hi = _span(weights)
            self.per_year[lo:hi] += weights[lo:hi, np.newaxis] * column
            return
        key = weights.tobytes()
        at = self._by_weights.get(key)
        if at is not None:
            if self._owned[at]:
                self.columns[at] += column
            else:  # the same sum as a copy added into, without the copy
                self.columns[at] = self.columns[at] + column
                self._owned[at] = True
            return
        self._by_weights[key] = len(self.columns)
        if column.shape == (self.draws,) and column.dtype == np.float64:
            self.columns.append(column)
            self._owned.append(False)
        else:
            self.columns.append(np.array(np.broadcast_to(column, (self.draws,)), dtype=np.float64))
            self._owned.append(True)
        self.weights.append(weights)
        self.spans.append(_span(weights))
        if len(self.columns) > self.horizon:
            self._to_years()

    def add_years(self, values: np.ndarray) -> None:
        """Add value per year and draw, ``(H, n or 1)`` [currency]."""
        if self.per_year is None:
            self.per_year = np.zeros((self.horizon, self.draws))
        self.per_year += values

    def merge(self, other: Ledger) -> None:
        """Add every column and the per-year value of ``other``."""
        # Columns this ledger takes as they are are shared from now on:
        # neither ledger adds into them in place.
        other._owned = [False] * len(other._owned)
        for column, weights in zip(other.columns, other.weights, strict=True):
            self.add(column, weights)
        if other.per_year is not None:
            self.add_years(other.per_year)

    def _to_years(self) -> None:
        per_year = np.zeros((self.horizon, self.draws))
        for column, weights, (lo, hi) in zip(self.columns, self.weights, self.spans, strict=True):
            per_year[lo:hi] += weights[lo:hi, np.newaxis] * column
        if self.per_year is not None:
            per_year += self.per_year
        self.per_year = per_year
        self.columns, self.weights, self.spans, self._by_weights = [], [], [], {}
        self._owned = []

    def rows(self, first: int = 0, years: int | None = None, draws: Draws = None) -> np.ndarray:
        """Value per year of the years ``first .. first + years - 1`` (to the
        horizon by default) of the draws ``draws`` (all when None),
        year-major ``(years, draws)`` [currency]."""
        years = self.horizon - first if years is None else years
        end = first + years
        out = np.zeros((years, draw_count(self.draws, draws)))
        scratch = np.empty_like(out)
        for column, weights, (lo, hi) in zip(self.columns, self.weights, self.spans, strict=True):
            a, b = max(lo, first), min(hi, end)
            if a >= b:
                continue
            picked = column if draws is None else column[draws]
            product = scratch[: b - a]
            np.multiply(weights[a:b, np.newaxis], picked, out=product)
            np.add(out[a - first : b - first], product, out=out[a - first : b - first])
        if self.per_year is not None:
            out += self.per_year[first:end] if draws is None else self.per_year[first:end, draws]
        return out


def _span(weights: np.ndarray) -> tuple[int, int]:
    """Years ``lo .. hi-1`` where ``weights`` are not zero."""
    (nonzero,) = np.nonzero(weights)
    return (int(nonzero[0]), int(nonzero[-1]) + 1) if nonzero.size else (0, 0)
