"""Per-year results of each draw: paybacks and cumulative net positions.

A payback year needs value and cost per analysis year; present values do
not (:mod:`sroi.engine.model` gives those per draw).  So per-year arrays are
built here only, for a slice of :data:`YEAR_SLICE` draws at a time, and let
go: a scenario's per-year memory is ``(H, YEAR_SLICE)`` arrays whatever its
number of draws.  Arrays are year-major, ``(H, draws)``, so a running sum
over years is a sum of rows.

Every number is the sum the plain formulas give, added in the same order:
a perspective's value per year is its payers' values added in its payers'
order, cumulative sums run year by year, and cost, zero after the delivery
years, is cumulated over the delivery years and then held.  So payback
years, ties included, do not depend on the slicing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sroi.engine.model import Flows, padded
from sroi.vocabulary import PERSPECTIVES, Perspective

#: Draws whose per-year arrays are built at once [draws]: ``(H, 2048)``
#: arrays of a 67-year horizon take about 1 MB, so they stay in cache.
YEAR_SLICE = 2048


class Workspace:
    """Arrays of one shape ``(H, width)``, lent in turn and all given back at
    once: the per-year arrays of one slice of draws after another reuse the
    same memory instead of asking the allocator for fresh pages each time."""

    def __init__(self, horizon: int, width: int) -> None:
        self.shape = (horizon, width)
        self._arrays: list[np.ndarray] = []
        self._lent = 0

    def take(self, width: int) -> np.ndarray:
        """An array ``(H, width)`` of undefined content, until :meth:`reset`."""
        if self._lent == len(self._arrays):
            self._arrays.append(np.empty(self.shape))
        self._lent += 1
        return self._arrays[self._lent - 1][:, :width]

    def reset(self) -> None:
        """Take every array back."""
        self._lent = 0


def perspective_years(
    flows: Flows, span: slice | None = None, workspace: Workspace | None = None
) -> dict[str, np.ndarray]:
    """Discounted value per analysis year that each perspective counts, of
    the draws ``span`` (all when None), by perspective id, year-major
    ``(years, draws)`` [currency], where ``years`` is the perspective's
    :func:`payback_years`: its value in every later year is zero.

    A perspective's value is its payers' discounted values added in its
    payers' order (only the cashable outcomes for a cashable perspective);
    a sum that one perspective shares with another as a prefix (society's
    NHS, local authority and central government with the public sector's) is
    computed once.  Payers without outcomes add nothing.  The arrays come
    from ``workspace`` when one is given (valid until it is reset).

    Adding a zero changes no sum here (none of them is -0, the one number
    that 0 changes), so each array is added over the years it can reach only.
    """
    draws = len(range(flows.draws)[span]) if span is not None else flows.draws
    space = workspace if workspace is not None else Workspace(flows.horizon, draws)
    scratch = space.take(draws)

    def years_of(ids: tuple[str, ...]) -> np.ndarray:
        rows = value_years(flows, ids)
        return flows.discounted_years(ids, span, scratch, space.take(draws)[:rows], rows)

    payer = {p: years_of(ids) for p, ids in flows.payer_outcomes.items() if ids}
    done: dict[tuple[str, ...], np.ndarray | None] = {}
    out = {}
    # Fewest payers first, so that a wider perspective starts from a narrower one's sum.
    for p in sorted(PERSPECTIVES.values(), key=lambda p: len(p.payers)):
        if p.cashable_only:
            out[p.id] = years_of(flows.cashable_outcomes)
            continue
        rows = payback_years(flows, p)
        start = max((k for k in done if p.payers[: len(k)] == k), key=len, default=())
        total, owned = done.get(start), False
        for payer_id in p.payers[len(start) :]:
            part = payer.get(payer_id)
            if part is None:
                continue
            if total is None:
                total = part
            elif owned:
                total[: part.shape[0]] += part  # an owned total has all its rows
            else:
                total, owned = _sum(total, part, space.take(draws)[:rows]), True
        done[p.payers] = total
        if total is None:
            total = space.take(draws)[:rows]
            total[...] = 0.0
        assert total.shape[0] == rows, "a perspective's value has its payback years"
        out[p.id] = total
    return {p: out[p] for p in PERSPECTIVES}


def _sum(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``a + b`` into ``out``, year-major, each zero past its rows (``out``
    has at least the rows of both)."""
    common = min(a.shape[0], b.shape[0])
    longer = a if a.shape[0] > b.shape[0] else b
    np.add(a[:common], b[:common], out=out[:common])
    out[common : longer.shape[0]] = longer[common:]
    out[longer.shape[0] :] = 0.0
    return out


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

    Each is the sum over the row of the ``(n, H)`` array, zero after the
    delivery years, that the formulas name (numpy's pairwise sum depends on
    the row's length, so the zeros are kept), built a slice of draws at a
    time: the sum of a row does not depend on the other rows.
    """
    n, h, t = flows.draws, flows.horizon, flows.years
    out = {k: np.empty(n) for k in ("cost_total", "cost_pv", "cash_cost_pv")}
    # Columns past the delivery years stay zero in both; only the first t
    # columns are written (a product there would be 0 x factor = 0).
    row = np.zeros((min(n, YEAR_SLICE), h))
    product = np.zeros_like(row)
    for lo in range(0, n, YEAR_SLICE):
        span = slice(lo, min(lo + YEAR_SLICE, n))
        w = span.stop - span.start
        factors = flows.cost_discount
        factors = factors[span] if factors.shape[0] > 1 else factors
        bases = (("cost_pv", flows.delivery_cost), ("cash_cost_pv", flows.delivery_cash_cost))
        for name, delivery in bases:
            row[:w, :t] = delivery[span]
            if name == "cost_pv":
                out["cost_total"][span] = np.sum(row[:w], axis=1)
            np.multiply(row[:w, :t], factors[:, :t], out=product[:w, :t])
            out[name][span] = np.sum(product[:w], axis=1)
    return out


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


class ProgrammeYears:
    """Each perspective's discounted value per year summed over scenarios,
    and discounted cost per year on each basis, for ``draws`` draws,
    year-major, kept in slices of :data:`YEAR_SLICE` draws."""

    def __init__(self, horizon: int, draws: int) -> None:
        self.horizon, self.draws = horizon, draws
        #: Perspective id -> the sum so far per slice of draws.
        self._value: dict[str, list[np.ndarray | None]] = {}
        self._cost: dict[str, np.ndarray] = {}

    def spans(self) -> list[slice]:
        """The slices of draws, in order."""
        return [
            slice(lo, min(lo + YEAR_SLICE, self.draws)) for lo in range(0, self.draws, YEAR_SLICE)
        ]

    def add_value(self, years: dict[str, np.ndarray], span: slice | None) -> None:
        """Add one scenario's :func:`perspective_years` of the draws ``span``,
        one of :meth:`spans` (None: one column that stands for every draw)."""
        spans = self.spans()
        at = range(len(spans)) if span is None else [spans.index(span)]
        for pid, value in years.items():
            slices = self._value.setdefault(pid, [None] * len(spans))
            for i in at:
                shape = (self.horizon, spans[i].stop - spans[i].start)
                have = slices[i]
                if have is None:
                    have = slices[i] = np.zeros(shape)
                    if value.shape == shape:
                        have[...] = value  # 0 + value is value
                        continue
                have[: value.shape[0]] += value

    def add_cost(self, flows: Flows) -> None:
        """Add one scenario's :func:`cost_years`."""
        for basis, cost in cost_years(flows).items():
            have = self._cost.get(basis)
            if have is None:
                have = np.zeros((cost.shape[0], self.draws))
            elif have.shape[0] < cost.shape[0]:
                have = np.concatenate([have, np.zeros((cost.shape[0] - have.shape[0], self.draws))])
            have[: cost.shape[0]] += cost
            self._cost[basis] = have

    def paybacks(self) -> dict[str, np.ndarray]:
        """Payback year of each perspective, by payback metric name, per draw."""
        out = {}
        for p in PERSPECTIVES.values():
            cum_cost = cumulative(self._cost[p.cost])
            parts = []
            for span, value in zip(self.spans(), self._value[p.id], strict=True):
                assert value is not None, "a programme needs at least one scenario"
                parts.append(payback(cumulative(value), cum_cost[:, span]))
            out[p.payback_metric] = np.concatenate(parts)
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
    flows: Flows, programme: ProgrammeYears | None = None, keep: slice | None = None
) -> YearResults:
    """Each perspective's payback year per draw of ``flows`` and the
    cumulative net position of the draws ``keep``; each perspective's value
    per year is added to ``programme`` on the way."""
    n = flows.draws
    costs = {basis: cumulative(c) for basis, c in cost_years(flows).items()}
    paybacks = {p.payback_metric: np.empty(n) for p in PERSPECTIVES.values()}
    positions = []
    # Working space, lent to each slice in turn.
    width = min(n, YEAR_SLICE)
    space = Workspace(flows.horizon, width)
    running = np.empty((flows.horizon, width))
    reached = np.empty((flows.horizon, width), dtype=bool)
    for lo in range(0, n, YEAR_SLICE):
        span = slice(lo, min(lo + YEAR_SLICE, n))
        w = span.stop - span.start
        space.reset()
        years = perspective_years(flows, span, space)
        if programme is not None:
            programme.add_value(years, span if n > 1 else None)
        for p in PERSPECTIVES.values():
            cost = costs[p.cost]
            cost = cost[:, span] if cost.shape[1] > 1 else cost
            rows = years[p.id].shape[0]  # its payback years
            cum_value = cumulative(years[p.id], running[:rows, :w])
            paybacks[p.payback_metric][span] = payback(cum_value, cost, reached[:rows, :w])
        if keep is not None:
            kept = _within(keep, span) if n > 1 else slice(None)
            society = years["society"][:, _local(kept, lo)]
            positions.append(cumulative_net(flows, kept, society))
    return YearResults(paybacks, np.concatenate(positions) if keep is not None else None)


def payback_years(flows: Flows, perspective: Perspective) -> int:
    """Analysis years that decide ``perspective``'s payback year: up to the
    last year with a cost or with value to it [years].

    From that year on neither its value nor its cost changes the running
    sums (value adds zero, cost is held), so a draw that has not paid back
    by then never does, and its payback year is found in these years alone.
    """
    if perspective.cashable_only:
        ids = flows.cashable_outcomes
    else:
        ids = tuple(o for payer in perspective.payers for o in flows.payer_outcomes.get(payer, ()))
    return value_years(flows, ids)


def value_years(flows: Flows, outcomes: tuple[str, ...]) -> int:
    """Analysis years up to the last with a cost or with value of
    ``outcomes``: the years :func:`perspective_years` keeps [years]."""
    return min(flows.horizon, max(flows.reach(outcomes), flows.years))


def _within(keep: slice, span: slice) -> slice:
    """The draws of ``keep`` (``start::step``) that fall in ``span``."""
    first, step = keep.start or 0, keep.step or 1
    lo = max(span.start, first)
    lo += -(lo - first) % step
    return slice(lo, max(lo, span.stop), step)


def _local(kept: slice, offset: int) -> slice:
    if kept.start is None:
        return kept
    return slice(kept.start - offset, kept.stop - offset, kept.step)


def cumulative_net(
    flows: Flows, keep: slice | None = None, society: np.ndarray | None = None
) -> np.ndarray:
    """Cumulative discounted net position per draw and analysis year, ``(n, H)``
    [currency]: cumulative discounted value minus cumulative cost on the
    cost_pv basis, of the draws ``keep`` (all when None).  ``society`` is the
    value to every payer of those draws per year, year-major (its
    :func:`perspective_years`), when the caller has it."""
    if society is None:
        society = perspective_years(flows, keep if flows.draws > 1 else None)["society"]
    if society.shape[0] < flows.horizon:  # zero after its last year with value
        society = padded(society.T, flows.horizon).T
    cost, factors = flows.delivery_cost, flows.cost_discount
    if keep is not None:
        cost = cost[keep] if cost.shape[0] > 1 else cost
        factors = factors[keep] if factors.shape[0] > 1 else factors
    cost = padded(cost, flows.horizon)
    net = cumulative(society - (cost * factors).T)
    return np.ascontiguousarray(net.T)
