"""Monte Carlo summaries of per-draw metrics (spec §3)."""

from __future__ import annotations

import math

import numpy as np

from sroi.engine.metrics import MAYBE_UNDEFINED

#: Statistics of every summary, in output order.
STATISTICS = ("mean", "sd", "se", "p5", "p50", "p95")


def summarize(values: np.ndarray, metric: str) -> dict[str, float]:
    """mean, sd, se (= sd / sqrt(N)), p5, p50, p95 of one metric's draws.

    A metric that may be undefined (ratios, payback year) is summarised over
    the draws where it is defined (not NaN) and adds ``defined``, the share of
    such draws.  Statistics that cannot be computed are NaN.

    >>> s = summarize(np.array([1.0, 2.0, 3.0, np.nan]), "unit_cost")
    >>> s["mean"], s["p50"], s["defined"]
    (2.0, 2.0, 0.75)
    """
    finite = values[~np.isnan(values)]
    count = finite.size
    out: dict[str, float] = dict.fromkeys(STATISTICS, math.nan)
    if count:
        out["mean"] = float(np.mean(finite))
        if count > 1:
            sd = float(np.std(finite, ddof=1))
            out["sd"], out["se"] = sd, sd / math.sqrt(count)
        p5, p50, p95 = np.percentile(finite, [5.0, 50.0, 95.0])
        out["p5"], out["p50"], out["p95"] = float(p5), float(p50), float(p95)
    if metric in MAYBE_UNDEFINED:
        out["defined"] = count / values.size if values.size else math.nan
    return out


def share(condition: np.ndarray) -> float:
    """Share of draws where ``condition`` holds (NaN never counts)."""
    return float(np.mean(condition)) if condition.size else math.nan
