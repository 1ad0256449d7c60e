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
    Perspective,
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


def _pv(per_year: np.ndarray, factors: np.ndarray) -> np.ndarray:
    return np.sum(per_year * factors, axis=1)


def flow_metrics(flows: Flows) -> Metrics:
    """Every metric of every draw, as arrays of ``n`` values.

    Split metrics are flattened as ``"value_pv_by_payer.nhs"`` and so on.
    """
    m: Metrics = {
        "referrals": np.sum(flows.referrals, axis=1),
        "users": np.sum(flows.users, axis=1),
        "engaged_users": np.sum(flows.engaged, axis=1),
        "cases_averted": np.sum(flows.cases_averted, axis=1),
        "volunteer_hours": np.sum(flows.volunteer_hours, axis=1),
        "cost_total": np.sum(flows.cost, axis=1),
        "cost_pv": _pv(flows.cost, flows.cost_discount),
        "cash_cost_pv": _pv(flows.cash_cost, flows.cost_discount),
        "value_pv_cashable": flows.pv_cashable,
    }
    for payer in PAYERS:
        m[f"value_pv_by_payer.{payer}"] = flows.pv_by_payer[payer]
    for kind in VALUE_TYPES:
        m[f"value_pv_by_type.{kind}"] = flows.pv_by_type[kind]
    m["value_pv"] = _total_pv(flows)
    m["public_value_pv"] = _public(m)
    m["_payback"] = _payback(
        np.cumsum(flows.value_discounted, axis=1),
        np.cumsum(flows.cost * flows.cost_discount, axis=1),
    )
    for p in PERSPECTIVES.values():
        if p.id != "society":
            value, cost = perspective_flows(flows, p)
            m[f"_{p.payback_metric}"] = _payback(np.cumsum(value, axis=1), np.cumsum(cost, axis=1))
    return finish(m)


def _total_pv(flows: Flows) -> np.ndarray:
    """Present value to every payer, one per draw [currency]."""
    payers = list(PAYERS)
    total = flows.pv_by_payer[payers[0]]
    for payer in payers[1:]:
        total = total + flows.pv_by_payer[payer]
    return total


def perspective_flows(flows: Flows, perspective: Perspective) -> tuple[np.ndarray, np.ndarray]:
    """Discounted value and discounted cost per draw and analysis year that a
    perspective counts [currency]: the value to its payers (only the
    cashable outcomes' for a cashable perspective), and the cost or the cash cost."""
    if perspective.cashable_only:
        value = flows.discounted_cashable
    else:
        value = flows.discounted_by_payer[perspective.payers[0]]
        for payer in perspective.payers[1:]:
            value = value + flows.discounted_by_payer[payer]
    cost = flows.cost if perspective.cost == "cost_pv" else flows.cash_cost
    return value, cost * flows.cost_discount


def _public(m: Metrics) -> np.ndarray:
    total = m[f"value_pv_by_payer.{PUBLIC_PAYERS[0]}"]
    for payer in PUBLIC_PAYERS[1:]:
        total = total + m[f"value_pv_by_payer.{payer}"]
    return total


def _payback(cum_value: np.ndarray, cum_cost: np.ndarray) -> np.ndarray:
    """First year whose cumulative discounted value >= cost; NaN when none."""
    cum_value, cum_cost = np.broadcast_arrays(cum_value, cum_cost)
    reached = cum_value >= cum_cost
    first = np.argmax(reached, axis=1).astype(np.float64)
    return np.where(reached.any(axis=1), first, np.nan)


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
    out["payback_year"] = np.broadcast_to(m["_payback"], (n,)).copy()
    for name in perspective_paybacks():
        out[name] = np.broadcast_to(m[f"_{name}"], (n,)).copy()
    return out


def cumulative_net(flows: Flows) -> np.ndarray:
    """Cumulative discounted net position per draw and analysis year [currency]:
    cumulative discounted value minus cumulative cost on the cost_pv basis."""
    return np.cumsum(flows.value_discounted - flows.cost * flows.cost_discount, axis=1)


def _pad(a: np.ndarray, width: int) -> np.ndarray:
    if a.shape[1] == width:
        return a
    out = np.zeros((a.shape[0], width))
    out[:, : a.shape[1]] = a
    return out


def programme_metrics(flows: list[Flows], metrics: list[Metrics]) -> Metrics:
    """Programme totals (docs/methodology.md §7): additive metrics summed draw by draw across
    scenarios (in the order given), ratios and payback recomputed from the sums."""
    m: Metrics = {}
    for key in additive_metrics():
        total = metrics[0][key]
        for other in metrics[1:]:
            total = total + other[key]
        m[key] = total
    width = max(f.horizon for f in flows)
    cum_value = np.cumsum(sum(_pad(f.value_discounted, width) for f in flows), axis=1)
    cum_cost = np.cumsum(sum(_pad(f.cost * f.cost_discount, width) for f in flows), axis=1)
    m["_payback"] = _payback(cum_value, cum_cost)
    for p in PERSPECTIVES.values():
        if p.id != "society":
            parts = [perspective_flows(f, p) for f in flows]
            value = np.cumsum(sum(_pad(v, width) for v, _ in parts), axis=1)
            cost = np.cumsum(sum(_pad(c, width) for _, c in parts), axis=1)
            m[f"_{p.payback_metric}"] = _payback(value, cost)
    return finish(m)
