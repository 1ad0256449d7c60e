"""The JSON document of ``sroi run --json``: every metric of docs/methodology.md §6,
summarised as in docs/methodology.md §8, with stable keys and no NaN."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sroi.engine.metrics import SCALAR_METRICS, SPLIT_METRICS, Metrics
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
    stats = results.summaries(name)
    out: dict[str, Any] = {}
    for key in SCALAR_METRICS:
        out[key] = {s: finite(v) for s, v in stats[key].items()}
    for split, keys in SPLIT_METRICS.items():
        out[split] = {k: {s: finite(v) for s, v in stats[f"{split}.{k}"].items()} for k in keys}
    return out


def _entry(results: Results, name: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"base_case": _base_case(results.base[name])}
    if results.draws > 0:
        entry["monte_carlo"] = _monte_carlo(results, name)
    probs = results.probabilities(name)
    for key in _PROBABILITIES:
        entry[key] = finite(probs[key])
    return entry


def document(results: Results) -> dict[str, Any]:
    """The ``sroi run --json`` document for ``results``."""
    scenarios = []
    for info in results.scenarios:
        scenarios.append(
            {
                "id": info.id,
                "name": info.name,
                "file": info.file,
                "sha256": info.sha256,
                "currency": info.currency,
                "price_year": info.price_year,
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
