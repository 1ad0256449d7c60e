"""The JSON document of ``sroi run --json``: every metric of docs/methodology.md §6,
summarised as in docs/methodology.md §8, with stable keys and no NaN; and per
scenario and for the programme, the ``headline`` of the run's perspective
and the three ``returns`` side by side."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sroi.engine.metrics import SCALAR_METRICS, SPLIT_METRICS, Metrics
from sroi.results.perspective import Estimate, Headline
from sroi.results.run_info import extends_entries
from sroi.vocabulary import PROGRAMME

if TYPE_CHECKING:
    from sroi.results.results import Results

_PROBABILITIES = ("prob_sroi_above_1", "prob_npv_positive", "prob_payback", "sroi_ratio_of_means")


def finite(x: float) -> float | None:
    """``x``, or None when it is NaN or infinite (JSON has no NaN)."""
    return x if math.isfinite(x) else None


def _base_case(m: Metrics) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in SCALAR_METRICS:
        out[key] = finite(float(m[key][0]))
    for split, keys in SPLIT_METRICS.items():
        out[split] = {k: finite(float(m[f"{split}.{k}"][0])) for k in keys}
    payback = out["payback_year"]
    out["payback_year"] = None if payback is None else int(payback)
    return out


def _monte_carlo(results: Results, name: str) -> dict[str, Any]:
    """Each metric's statistics over the draws; a ratio (``unit_cost``,
    ``sroi_ratio``, ...) also its ``expected`` value, the mean numerator over
    the mean denominator, which every table leads with."""
    stats = results.summaries(name)
    out: dict[str, Any] = {}
    for key in SCALAR_METRICS:
        out[key] = {s: finite(v) for s, v in stats[key].items()}
    for split, keys in SPLIT_METRICS.items():
        out[split] = {k: {s: finite(v) for s, v in stats[f"{split}.{k}"].items()} for k in keys}
    return out


def _estimate(e: Estimate) -> dict[str, float | None]:
    return {
        "expected": finite(e.expected),
        "median": finite(e.median),
        "p5": finite(e.p5),
        "p95": finite(e.p95),
        "modal_inputs": finite(e.modal),
    }


def _year(x: float) -> int | None:
    return int(x) if math.isfinite(x) else None


def headline_document(h: Headline) -> dict[str, Any]:
    """One perspective's summary as JSON: its ``ratio`` (named ``ratio_metric``)
    and ``net`` (named ``net_metric``), ``value`` and ``cost`` each with
    ``expected`` (ratio of means for the ratio, mean for money), ``median``,
    ``p5``, ``p95`` and ``modal_inputs`` (the base case); the probabilities;
    and the payback year."""
    p = h.perspective
    return {
        "perspective": p.id,
        "ratio_metric": p.ratio_metric,
        "net_metric": p.net_metric,
        "ratio": _estimate(h.ratio),
        "net": _estimate(h.net),
        "value": _estimate(h.value),
        "cost": _estimate(h.cost),
        "prob_ratio_above_1": finite(h.prob_ratio_above_1),
        "prob_net_positive": finite(h.prob_net_positive),
        "payback_year": {
            "median": _year(h.payback_median),
            "modal_inputs": _year(h.payback_modal),
            "prob_payback": finite(h.prob_payback),
        },
    }


def _returns(results: Results, name: str) -> dict[str, Any]:
    out = {}
    for h in results.returns(name):
        out[h.perspective.ratio_metric] = {
            "perspective": h.perspective.id,
            **_estimate(h.ratio),
            "prob_above_1": finite(h.prob_ratio_above_1),
        }
    return out


def _entry(results: Results, name: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"base_case": _base_case(results.base[name])}
    if results.draws > 0:
        entry["monte_carlo"] = _monte_carlo(results, name)
    probs = results.probabilities(name)
    for key in _PROBABILITIES:
        entry[key] = finite(probs[key])
    entry["headline"] = headline_document(results.headline(name))
    entry["returns"] = _returns(results, name)
    return entry


def document(results: Results) -> dict[str, Any]:
    """The ``sroi run --json`` document for ``results``.  Each scenario's
    ``cautions`` are the sentences of
    :func:`~sroi.results.cautions.scenario_cautions` (an empty list when
    there are none; null when ``results`` do not hold the scenario)."""
    from sroi.results.cautions import scenario_cautions

    loaded = {s.id: s for s in results.loaded}
    scenarios = []
    for info in results.scenarios:
        scenario = loaded.get(info.id)
        scenarios.append(
            {
                "id": info.id,
                "name": info.name,
                "file": info.file,
                "sha256": info.sha256,
                "extends": extends_entries(info),
                "currency": info.currency,
                "price_year": info.price_year,
                "cautions": (
                    None if scenario is None else [c.sentence for c in scenario_cautions(scenario)]
                ),
                **_entry(results, info.id),
            }
        )
    programme = {
        "id": PROGRAMME,
        "name": "Programme (all scenarios)",
        "scenarios": [s.id for s in results.scenarios],
        **_entry(results, PROGRAMME),
    }
    return {
        **results.run.header(money=True),
        "scenarios": scenarios,
        "programme": programme,
    }
