"""Results of each draw, and programme totals (docs/methodology.md §6 and §7).

Which metrics there are, and which of them add up across scenarios, is
declared in :data:`sroi.vocabulary.METRICS`; this module computes them.
"""

from __future__ import annotations

import numpy as np

from sroi.engine.model import Flows
from sroi.vocabulary import (
    METRICS,
    PAYERS,
    PERSPECTIVES,
    PUBLIC_PAYERS,
    SPLITS,
    VALUE_TYPES,
    additive_metrics,
    perspective_paybacks,
)

#: Scalar metrics the programme sums draw by draw.
ADDITIVE = tuple(m.id for m in METRICS.values() if m.additive)
#: Metrics that may be undefined in a draw; their summaries carry ``defined``.
MAYBE_UNDEFINED = tuple(m.id for m in METRICS.values() if m.undefined_when is not None)
#: Every scalar metric, in report order.
SCALAR_METRICS = tuple(METRICS)
#: Split metrics and their keys.
SPLIT_METRICS = {s.id: s.keys for s in SPLITS.values()}

Metrics = dict[str, np.ndarray]


def perspective_years(flows: Flows) -> dict[str, np.ndarray]:
    """Discounted value per analysis year and draw that each perspective
    counts, by perspective id, year-major: shape ``(H, n)`` [currency].

    A perspective's value is its payers' discounted values added in its
    payers' order (only the cashable outcomes for a cashable perspective);
    a sum that one perspective shares with another as a prefix (society's
    NHS, local authority and central government with the public sector's) is
    computed once.  Payers without outcomes add nothing.
    """
    payer = {p: flows.discounted_years(ids) for p, ids in flows.payer_outcomes.items() if ids}
    prefixes: dict[tuple[str, ...], np.ndarray | None] = {}
    out = {}
    for p in PERSPECTIVES.values():
        if p.cashable_only:
            out[p.id] = flows.discounted_years(flows.cashable_outcomes)
            continue
        total = None
        for i, payer_id in enumerate(p.payers):
            key = p.payers[: i + 1]
            if key not in prefixes:
                part = payer.get(payer_id)
                if part is not None:
                    total = part if total is None else total + part
                prefixes[key] = total
            total = prefixes[key]
        out[p.id] = total if total is not None else np.zeros((flows.horizon, flows.draws))
    return out


def cost_years(flows: Flows) -> dict[str, np.ndarray]:
    """Discounted cost per delivery year and draw, year-major ``(T, n)``, on
    each cost basis: ``cost_pv`` (volunteer time in kind included) and
    ``cash_cost_pv`` [currency].  Cost is zero after the delivery years."""
    t = flows.years
    return {
        "cost_pv": (flows.cost[:, :t] * flows.cost_discount[:, :t]).T,
        "cash_cost_pv": (flows.cash_cost[:, :t] * flows.cost_discount[:, :t]).T,
    }


def flow_metrics(flows: Flows, years: dict[str, np.ndarray] | None = None) -> Metrics:
    """Every metric of every draw, as arrays of ``n`` values.

    Split metrics are flattened as ``"value_pv_by_payer.nhs"`` and so on.
    ``years`` is :func:`perspective_years` of ``flows`` when the caller has
    it already.
    """
    years = years if years is not None else perspective_years(flows)
    m: Metrics = {
        "referrals": np.sum(flows.referrals, axis=1),
        "users": np.sum(flows.users, axis=1),
        "engaged_users": np.sum(flows.engaged, axis=1),
        "cases_averted": np.sum(flows.cases_averted, axis=1),
        "volunteer_hours": np.sum(flows.volunteer_hours, axis=1),
        "cost_total": np.sum(flows.cost, axis=1),
        "cost_pv": np.sum(flows.cost * flows.cost_discount, axis=1),
        "cash_cost_pv": np.sum(flows.cash_cost * flows.cost_discount, axis=1),
        "value_pv_cashable": flows.pv_cashable,
    }
    for payer in PAYERS:
        m[f"value_pv_by_payer.{payer}"] = flows.pv_by_payer[payer]
    for kind in VALUE_TYPES:
        m[f"value_pv_by_type.{kind}"] = flows.pv_by_type[kind]
    m["value_pv"] = _total_pv(flows)
    m["public_value_pv"] = _public(m)
    costs = {basis: np.cumsum(c, axis=0) for basis, c in cost_years(flows).items()}
    for p in PERSPECTIVES.values():
        m[f"_{p.payback_metric}"] = _payback(np.cumsum(years[p.id], axis=0), costs[p.cost])
    return finish(m)


def _total_pv(flows: Flows) -> np.ndarray:
    """Present value to every payer, one per draw [currency]."""
    payers = list(PAYERS)
    total = flows.pv_by_payer[payers[0]]
    for payer in payers[1:]:
        total = total + flows.pv_by_payer[payer]
    return total


def _public(m: Metrics) -> np.ndarray:
    total = m[f"value_pv_by_payer.{PUBLIC_PAYERS[0]}"]
    for payer in PUBLIC_PAYERS[1:]:
        total = total + m[f"value_pv_by_payer.{payer}"]
    return total


def _payback(cum_value: np.ndarray, cum_cost: np.ndarray) -> np.ndarray:
    """First analysis year whose cumulative discounted value >= cost, per
    draw; NaN when none.  Both are year-major; ``cum_cost`` may stop at the
    last year with a cost (it is constant after)."""
    years = max(cum_value.shape[0], cum_cost.shape[0])
    n = max(cum_value.shape[1], cum_cost.shape[1])
    cum_value, cum_cost = _rows(cum_value, years), _rows(cum_cost, years)
    reached = np.empty((years, n), dtype=bool)
    np.greater_equal(cum_value, cum_cost, out=reached)
    first = np.argmax(reached, axis=0).astype(np.float64)
    return np.where(reached.any(axis=0), first, np.nan)


def _rows(cumulative: np.ndarray, years: int) -> np.ndarray:
    """A cumulative year-major array extended to ``years`` rows by holding its last row."""
    if cumulative.shape[0] >= years:
        return cumulative
    tail = np.broadcast_to(cumulative[-1:], (years - cumulative.shape[0], cumulative.shape[1]))
    return np.concatenate([cumulative, tail])


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / bottom, np.nan)


def finish(m: Metrics) -> Metrics:
    """Add the derived metrics (NPV unless given, and ratios) to the additive ones."""
    n = max(np.size(v) for v in m.values())
    out = {k: np.broadcast_to(v, (n,)).copy() for k, v in m.items() if not k.startswith("_")}
    if "npv" not in out:
        out["npv"] = out["value_pv"] - out["cost_pv"]
    out["sroi_ratio"] = _ratio(out["value_pv"], out["cost_pv"])
    out["net_sroi_ratio"] = _ratio(out["npv"], out["cost_pv"])
    out["public_roi"] = _ratio(out["public_value_pv"], out["cash_cost_pv"])
    out["cashable_roi"] = _ratio(out["value_pv_cashable"], out["cash_cost_pv"])
    out["unit_cost"] = _ratio(out["cost_total"], out["users"])
    out["cost_per_case_averted"] = _ratio(out["cost_total"], out["cases_averted"])
    for name in ("payback_year", *perspective_paybacks()):
        out[name] = np.broadcast_to(m[f"_{name}"], (n,)).copy()
    return out


def cumulative_net(
    flows: Flows, keep: slice | None = None, society: np.ndarray | None = None
) -> np.ndarray:
    """Cumulative discounted net position per draw and analysis year, ``(n, H)``
    [currency]: cumulative discounted value minus cumulative cost on the
    cost_pv basis, of the draws ``keep`` (all when None).  ``society`` is the
    value to every payer of those draws per year, year-major (its
    :func:`perspective_years`), when the caller has it."""
    if society is None:
        society = perspective_years(flows)["society"]
        if keep is not None and society.shape[1] > 1:
            society = society[:, keep]
    cost, factors = flows.cost, flows.cost_discount
    if keep is not None:
        cost = cost[keep] if cost.shape[0] > 1 else cost
        factors = factors[keep] if factors.shape[0] > 1 else factors
    return np.cumsum(society.T - cost * factors, axis=1)


class ProgrammeSums:
    """Programme totals (docs/methodology.md §7), built one scenario at a
    time so that no scenario's per-year arrays outlive its turn.

    Additive metrics are summed draw by draw, and each perspective's
    discounted value and cost per year, in the order the scenarios are
    added; :meth:`metrics` recomputes ratios and paybacks from the sums.
    """

    def __init__(self) -> None:
        self._additive: Metrics = {}
        self._value: dict[str, np.ndarray] = {}
        self._cost: dict[str, np.ndarray] = {}

    def add(self, flows: Flows, metrics: Metrics, years: dict[str, np.ndarray]) -> None:
        """Add one scenario: its ``metrics`` (:func:`flow_metrics`) and its
        :func:`perspective_years` ``years``."""
        for key in additive_metrics():
            have = self._additive.get(key)
            self._additive[key] = metrics[key] if have is None else have + metrics[key]
        for pid, value in years.items():
            self._value[pid] = _accumulate(self._value.get(pid), value)
        for basis, cost in cost_years(flows).items():
            self._cost[basis] = _accumulate(self._cost.get(basis), cost)

    def metrics(self) -> Metrics:
        """Programme metrics, one per draw, as :func:`flow_metrics` gives them."""
        if not self._value:
            raise ValueError("a programme needs at least one scenario")
        m: Metrics = dict(self._additive)
        for p in PERSPECTIVES.values():
            cum_value = np.cumsum(self._value[p.id], axis=0)
            m[f"_{p.payback_metric}"] = _payback(cum_value, np.cumsum(self._cost[p.cost], axis=0))
        return finish(m)


def _accumulate(total: np.ndarray | None, part: np.ndarray) -> np.ndarray:
    """``total + part`` for year-major arrays, the shorter padded with zero
    years; in place when the shapes allow."""
    if total is None:
        return part.copy()
    years = max(total.shape[0], part.shape[0])
    total, part = _zero_pad(total, years), _zero_pad(part, years)
    if total.shape == np.broadcast_shapes(total.shape, part.shape):
        total += part
        return total
    return total + part


def _zero_pad(a: np.ndarray, years: int) -> np.ndarray:
    if a.shape[0] == years:
        return a
    out = np.zeros((years, a.shape[1]))
    out[: a.shape[0]] = a
    return out


def programme_metrics(flows: list[Flows], metrics: list[Metrics]) -> Metrics:
    """Programme totals (docs/methodology.md §7): additive metrics summed draw by draw across
    scenarios (in the order given), ratios and payback recomputed from the sums."""
    sums = ProgrammeSums()
    for f, m in zip(flows, metrics, strict=True):
        sums.add(f, m, perspective_years(f))
    return sums.metrics()
