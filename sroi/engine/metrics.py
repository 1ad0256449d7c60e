"""Results of each draw, and programme totals (docs/methodology.md §6 and §7).

Which metrics there are, and which of them add up across scenarios, is
declared in :data:`sroi.vocabulary.METRICS`; this module computes them.
"""

from __future__ import annotations

import numpy as np

from sroi.engine.model import Flows
from sroi.engine.paybacks import ProgrammeValue, year_results
from sroi.engine.years import cost_sums, delivery_total
from sroi.engine.years import cumulative_net as cumulative_net  # re-exported
from sroi.vocabulary import (
    METRICS,
    PAYERS,
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


def flow_metrics(flows: Flows, paybacks: dict[str, np.ndarray] | None = None) -> Metrics:
    """Every metric of every draw, as arrays of ``n`` values.

    Split metrics are flattened as ``"value_pv_by_payer.nhs"`` and so on.
    ``paybacks`` are each perspective's payback years
    (:attr:`~sroi.engine.paybacks.YearResults.paybacks`) when the caller has
    them already.
    """
    paybacks = paybacks if paybacks is not None else year_results(flows).paybacks
    m: Metrics = {
        "referrals": delivery_total(flows.referrals),
        "users": delivery_total(flows.users),
        "engaged_users": delivery_total(flows.engaged),
        "cases_averted": delivery_total(flows.cases_averted),
        "volunteer_hours": delivery_total(flows.volunteer_hours),
        **cost_sums(flows),
        "value_pv_cashable": flows.pv_cashable,
    }
    for payer in PAYERS:
        m[f"value_pv_by_payer.{payer}"] = flows.pv_by_payer[payer]
    for kind in VALUE_TYPES:
        m[f"value_pv_by_type.{kind}"] = flows.pv_by_type[kind]
    m["value_pv"] = _total_pv(flows)
    m["public_value_pv"] = _public(m)
    for name, years in paybacks.items():
        m[f"_{name}"] = years
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


class ProgrammeSums:
    """Programme totals (docs/methodology.md §7), built one scenario at a
    time so that no scenario's arrays outlive its turn.

    Additive metrics are summed draw by draw, in the order the scenarios are
    added, and each payer's value and cost per year in :attr:`years`;
    :meth:`metrics` recomputes ratios and paybacks from the sums.  A
    programme of one scenario has that scenario's value and cost per year,
    so its paybacks: then nothing is summed per year.
    """

    def __init__(self, horizon: int, draws: int, scenarios: int) -> None:
        """For ``scenarios`` scenarios over ``horizon`` analysis years and
        ``draws`` draws."""
        self._additive: Metrics = {}
        self._scenarios = 0
        self._first: dict[str, np.ndarray] = {}
        #: Per-year sums, which :func:`~sroi.engine.paybacks.year_results`
        #: adds the value to; None for a programme of one scenario.
        self.years = ProgrammeValue(horizon, draws) if scenarios > 1 else None

    def add(self, metrics: Metrics, paybacks: dict[str, np.ndarray]) -> None:
        """Add one scenario's additive ``metrics`` (:func:`flow_metrics`); its
        value and cost per year are added to :attr:`years` by
        :func:`~sroi.engine.paybacks.year_results`; ``paybacks`` are its own."""
        for key in additive_metrics():
            have = self._additive.get(key)
            self._additive[key] = metrics[key] if have is None else have + metrics[key]
        self._scenarios += 1
        self._first = paybacks if self._scenarios == 1 else {}

    def metrics(self) -> Metrics:
        """Programme metrics, one per draw, as :func:`flow_metrics` gives them."""
        if not self._scenarios:
            raise ValueError("a programme needs at least one scenario")
        m: Metrics = dict(self._additive)
        if self._scenarios == 1:
            paybacks = self._first
        elif self.years is not None:
            paybacks = self.years.paybacks()
        else:
            raise ValueError("a programme of one scenario was given more")
        for name, years in paybacks.items():
            m[f"_{name}"] = years
        return finish(m)


def programme_metrics(flows: list[Flows], metrics: list[Metrics]) -> Metrics:
    """Programme totals (docs/methodology.md §7): additive metrics summed draw by draw across
    scenarios (in the order given), ratios and payback recomputed from the sums."""
    sums = ProgrammeSums(max(f.horizon for f in flows), max(f.draws for f in flows), len(flows))
    for f, m in zip(flows, metrics, strict=True):
        sums.add(m, year_results(f, sums.years).paybacks)
    return sums.metrics()
