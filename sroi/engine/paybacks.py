"""Payback years (docs/methodology.md §6), found by a search that builds
value per year only for the years and draws still undecided.

A draw's payback year is the first analysis year whose cumulative
discounted value reaches its cumulative cost.  Most draws decide early
(society's value pays back within a few years) or can be shown never to
(a single payer's value rarely covers the whole cost), so the search runs a
block of years at a time and keeps only the draws still open:

* a draw is decided in a block when its cumulative value reaches its
  cumulative cost in one of the block's years;
* a draw is decided never to pay back once the years that could hold its
  payback year are searched (:func:`years_to_search`): where every value
  per year is non-negative, cumulative value never exceeds its total, so
  from the first year whose cumulative cost stays above that total (with a
  margin for rounding), it never pays back.

Value per year comes from each perspective's
:class:`~sroi.engine.ledger.Ledger`, whose sums for a year are the same
whichever draws and years a block builds, so the payback years are the ones
a search over every year and draw gives, bit for bit.  The programme's
ledgers are its scenarios' added together (:class:`ProgrammeValue`):
columns spread alike across scenarios become one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sroi.engine.ledger import Ledger
from sroi.engine.model import Flows
from sroi.engine.years import (
    cost_years,
    cumulative,
    cumulative_net,
    payback,
    payback_years,
    perspective_ledger,
    perspective_outcomes,
)
from sroi.vocabulary import PERSPECTIVES

#: The perspective whose ledger every scenario builds (its cumulative net
#: position needs it) and gives to the programme.
SOCIETY = "society"

#: Draws searched at once [draws]: the first blocks of years of this many
#: draws, ``(8, 16384)`` arrays, take 1 MB and stay in cache.
SEARCH_SLICE = 16384

#: Years in the first block after the years before the last year of cost;
#: each later block is twice as long as the one before [years].
FIRST_BLOCK = 8

#: Relative margin by which a total value must fall short of cost for
#: :func:`years_to_search`: far above the rounding of two sums of at most a
#: few hundred non-negative terms (about 1e-14) [1].
MARGIN = 1e-9

#: ``rows(first, years, draws)``: value per year of the years ``first ..
#: first + years - 1`` of the draws ``draws`` (indices within the slice
#: searched; all of it when None), year-major [currency].
Rows = Callable[[int, int, "np.ndarray | None"], np.ndarray]


def years_to_search(
    value_pv: np.ndarray, nonnegative: np.ndarray, cum_cost: np.ndarray, years: int
) -> np.ndarray:
    """Per draw, the years from the first that can hold its payback year
    (0: it never pays back) [years].

    Where every value per year is non-negative (``nonnegative``), the
    running sum of value never falls and never exceeds its total,
    ``value_pv``.  So from the first year whose cumulative cost, in that
    year and every later one (cost is held after its last row), is above
    the total value with :data:`MARGIN`, the draw never pays back.  Other
    draws are searched over all ``years``.  ``value_pv`` and ``nonnegative``
    are per draw (or one for every draw); ``cum_cost`` is year-major
    ``(costed, draws or 1)``.
    """
    costed = cum_cost.shape[0]
    total = value_pv * (1.0 + MARGIN)
    # The least cumulative cost from a year on (the cost held after the last
    # row is that row's) never falls from one year to the next, so the years
    # where the total is below it are the last ``below`` rows.
    least_after = cum_cost[-1]
    below = np.zeros(np.broadcast_shapes(total.shape, least_after.shape), dtype=np.intp)
    for y in range(costed - 1, -1, -1):
        least_after = np.minimum(least_after, cum_cost[y])
        below += total < least_after
    first = np.where(nonnegative & (below > 0), costed - below, years)
    return np.minimum(first, years)


def first_years(rows: Rows, cum_cost: np.ndarray, need: np.ndarray) -> np.ndarray:
    """First analysis year whose cumulative value >= cumulative cost, per
    draw; NaN when none within its ``need`` years (:func:`years_to_search`).

    ``rows`` builds value per year (see :data:`Rows`); ``cum_cost`` is
    cumulative cost per year, year-major ``(costed, draws or 1)``, held
    after its last row.

    Years are searched a block at a time: first the years before the last
    year of cost, then blocks of :data:`FIRST_BLOCK` years, each later one
    twice the last.  After each block only the draws still open are built,
    and their running sums carried on.
    """
    n = need.shape[0]
    found = np.full(n, np.nan)
    costed = cum_cost.shape[0]
    still = need > 0
    left = int(np.count_nonzero(still))
    if not left:
        return found
    ids: np.ndarray | None = None  # the draws built (None: all)
    live: np.ndarray | None = None  # which of them are still open (None: all)
    if left <= 0.75 * n:
        ids = np.flatnonzero(still)
    elif left < n:
        live = still
    carry: np.ndarray | None = None  # their cumulative value so far
    lo = 0
    for hi in _block_ends(int(need.max()), costed):
        value = rows(lo, hi - lo, ids)
        if carry is not None:
            value[0] += carry
        cum = cumulative(value, out=value)
        cost = cum_cost[lo:hi] if lo < costed else cum_cost[costed - 1 :]
        if ids is not None and cost.shape[1] > 1:
            cost = cost[:, ids]
        year = payback(cum, cost)
        hit = ~np.isnan(year)
        if live is not None:
            hit &= live
        at = ids if ids is not None else np.arange(n)
        found[at[hit]] = lo + year[hit]
        still = ~hit if live is None else live & ~hit
        still &= (need if ids is None else need[ids]) > hi
        left = int(np.count_nonzero(still))
        if not left:
            break
        if left <= 0.75 * still.size:  # worth building only these from now on
            ids, carry, live = at[still], cum[-1][still], None
        else:
            carry, live = cum[-1], still
        lo = hi
    return found


def _block_ends(years: int, costed: int) -> list[int]:
    """Ends of the blocks of years :func:`first_years` searches, up to ``years``."""
    ends = [min(years, max(costed - 1, 1))]
    size = FIRST_BLOCK
    while ends[-1] < years:
        ends.append(min(years, ends[-1] + size))
        size *= 2
    return ends


def perspective_pvs(flows: Flows) -> dict[str, np.ndarray]:
    """Present value each perspective counts, per draw, by perspective id [currency]."""
    out = {}
    for pid, p in PERSPECTIVES.items():
        if p.cashable_only:
            out[pid] = flows.pv_cashable
            continue
        total = flows.pv_by_payer[p.payers[0]]
        for payer in p.payers[1:]:
            total = total + flows.pv_by_payer[payer]
        out[pid] = total
    return out


def perspective_signs(flows: Flows) -> dict[str, np.ndarray]:
    """Per draw, whether every value per year each perspective counts is
    >= 0 (so is every column of its outcomes, their placement and their
    discount factors), by perspective id [bool]: one value for every draw
    where they all are, or none is."""

    def signs(outcomes: tuple[str, ...]) -> np.ndarray:
        ok = np.ones(1, dtype=bool)
        for oid in outcomes:
            placed, factors = flows.placements[oid], flows.outcome_discount[oid]
            if not placed.width:
                continue
            # One minimum over all draws settles the usual case, every column
            # non-negative in every draw (NaN makes the minimum NaN).
            if not np.min(placed.columns) >= 0:
                ok = ok & np.all(placed.columns >= 0, axis=0)
            if not np.min(factors) >= 0:
                ok = ok & np.all(factors >= 0, axis=1)
            if np.min(placed.matrix) < 0:
                ok = ok & False
        return ok

    payers = {payer: signs(ids) for payer, ids in flows.payer_outcomes.items()}
    out = {}
    for pid, p in PERSPECTIVES.items():
        if p.cashable_only:
            out[pid] = signs(flows.cashable_outcomes)
            continue
        ok = payers[p.payers[0]]
        for payer in p.payers[1:]:
            ok = ok & payers[payer]
        out[pid] = ok
    return out


def search(ledger: Ledger | None, cum_cost: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Payback year per draw [year of analysis, NaN: never]: :func:`first_years`
    of ``ledger``'s value against cumulative cost ``cum_cost`` ``(costed, n
    or 1)``, over each draw's ``need`` years, in slices of
    :data:`SEARCH_SLICE` draws.  ``ledger`` may be None when no draw needs
    a year."""
    draws = need.shape[0]
    result = np.full(draws, np.nan)
    if ledger is None or not np.any(need):
        return result
    for lo in range(0, draws, SEARCH_SLICE):
        span = slice(lo, min(lo + SEARCH_SLICE, draws))
        held = cum_cost[:, span] if cum_cost.shape[1] > 1 else cum_cost

        def rows(first: int, length: int, ids: np.ndarray | None, span: slice = span) -> np.ndarray:
            keep = span if ids is None else ids + span.start
            return ledger.rows(first, length, keep if ledger.draws > 1 else None)

        result[span] = first_years(rows, held, need[span])
    return result


def _need(pv: np.ndarray, sign: np.ndarray, cum_cost: np.ndarray, years: int, n: int) -> np.ndarray:
    return np.broadcast_to(years_to_search(pv, sign, cum_cost, years), (n,))


class ProgrammeValue:
    """Each perspective's discounted value per year summed over scenarios
    (its :class:`~sroi.engine.ledger.Ledger`), its present value, and
    discounted cost per year on each basis, for ``draws`` draws: what the
    programme's payback years need."""

    def __init__(self, horizon: int, draws: int) -> None:
        self.horizon, self.draws = horizon, draws
        self._ledgers = {pid: Ledger(horizon, draws) for pid in PERSPECTIVES}
        self._pvs: dict[str, np.ndarray] = {}
        self._signs: dict[str, np.ndarray] = {}
        self._years: dict[str, int] = {}
        self._cost: dict[str, np.ndarray] = {}

    def add(
        self,
        flows: Flows,
        ledgers: dict[str, Ledger],
        pvs: dict[str, np.ndarray],
        signs: dict[str, np.ndarray],
        cost: dict[str, np.ndarray],
    ) -> None:
        """Add one scenario's value per year, its present values ``pvs``,
        :func:`perspective_signs` and its discounted ``cost`` per year
        (:func:`~sroi.engine.years.cost_years`).

        Society's value comes from the scenario's society ledger, which
        :func:`year_results` always builds; every other perspective's from
        its outcomes.  Which it is does not depend on the draws, so neither
        does the order of any sum.
        """
        for pid, p in PERSPECTIVES.items():
            if pid == SOCIETY:
                self._ledgers[pid].merge(ledgers[pid])
            else:
                for oid in perspective_outcomes(flows, p):
                    self._ledgers[pid].add_outcome(flows, oid)
            have = self._pvs.get(pid)
            self._pvs[pid] = pvs[pid] if have is None else have + pvs[pid]
            sign = self._signs.get(pid)
            self._signs[pid] = signs[pid] if sign is None else sign & signs[pid]
            self._years[pid] = max(self._years.get(pid, 0), payback_years(flows, p))
        for basis, years in cost.items():
            have = self._cost.get(basis)
            if have is None:
                have = np.zeros((years.shape[0], self.draws))
            elif have.shape[0] < years.shape[0]:
                extra = np.zeros((years.shape[0] - have.shape[0], self.draws))
                have = np.concatenate([have, extra])
            have[: years.shape[0]] += years
            self._cost[basis] = have

    def paybacks(self) -> dict[str, np.ndarray]:
        """Payback year of each perspective, by payback metric name, per draw."""
        out = {}
        for pid, p in PERSPECTIVES.items():
            cum_cost = cumulative(self._cost[p.cost])
            need = _need(self._pvs[pid], self._signs[pid], cum_cost, self._years[pid], self.draws)
            out[p.payback_metric] = search(self._ledgers[pid], cum_cost, need)
        return out


@dataclass(frozen=True)
class YearResults:
    """What one scenario's per-year arrays give."""

    #: Payback year of each perspective per draw, by payback metric name
    #: (``payback_year``, ``nhs_payback_year``, ...) [year of analysis, NaN: never].
    paybacks: dict[str, np.ndarray]
    #: Cumulative discounted net position per year of the draws kept,
    #: ``(kept, H)`` (one row for every draw when the scenario's inputs are
    #: all fixed), or None when no draws were asked for [currency].
    positions: np.ndarray | None


def year_results(
    flows: Flows, programme: ProgrammeValue | None = None, keep: slice | None = None
) -> YearResults:
    """Each perspective's payback year per draw of ``flows`` and the
    cumulative net position of the draws ``keep``; the scenario's value and
    cost per year are added to ``programme`` on the way."""
    pvs, signs = perspective_pvs(flows), perspective_signs(flows)
    cost_per_year = cost_years(flows)
    costs = {basis: cumulative(c) for basis, c in cost_per_year.items()}
    ledgers: dict[str, Ledger] = {}
    paybacks = {}
    for pid, p in PERSPECTIVES.items():
        cost = costs[p.cost]
        need = _need(pvs[pid], signs[pid], cost, payback_years(flows, p), flows.draws)
        if pid == SOCIETY or np.any(need):
            ledgers[pid] = perspective_ledger(flows, p)
        paybacks[p.payback_metric] = search(ledgers.get(pid), cost, need)
    if programme is not None:
        programme.add(flows, ledgers, pvs, signs, cost_per_year)
    positions = None
    if keep is not None:
        kept = keep if flows.draws > 1 else None
        society = ledgers[SOCIETY].rows(0, flows.horizon, kept)
        positions = cumulative_net(flows, kept, society)
    return YearResults(paybacks, positions)
