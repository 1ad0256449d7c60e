"""Monte Carlo summaries of per-draw metrics (docs/methodology.md §8)."""

from __future__ import annotations

import math

import numpy as np

from sroi.engine.accumulate import Moments
from sroi.engine.metrics import MAYBE_UNDEFINED

#: Statistics of every summary, in output order.
STATISTICS = ("mean", "sd", "se", "p5", "p50", "p95")


def summarize(moments: Moments, stored: np.ndarray, draws: int, metric: str) -> dict[str, float]:
    """mean, sd, se (= sd / sqrt(N)), p5, p50, p95 of one metric's draws.

    The mean and sd come from the run's merged moments (all N draws); the
    percentiles from the stored draws (all of them, or a systematic sample
    beyond the memory budget; linear interpolation).  A metric that may be
    undefined (ratios, payback year) is summarised over the draws where it is
    defined and adds ``defined``, the share of such draws.  Statistics that
    cannot be computed are NaN.

    >>> x = np.array([1.0, 2.0, 3.0, np.nan])
    >>> s = summarize(Moments.of(x, 0), x, 4, "unit_cost")
    >>> s["mean"], s["sd"], s["p50"], s["defined"]
    (2.0, 1.0, 2.0, 0.75)
    """
    count, mean, m2 = moments.total()
    out: dict[str, float] = dict.fromkeys(STATISTICS, math.nan)
    if count:
        out["mean"] = mean
        if count > 1:
            sd = math.sqrt(m2 / (count - 1))
            out["sd"], out["se"] = sd, sd / math.sqrt(count)
        finite = stored[~np.isnan(stored)]
        if finite.size:
            p5, p50, p95 = np.percentile(finite, [5.0, 50.0, 95.0])
            out["p5"], out["p50"], out["p95"] = float(p5), float(p50), float(p95)
    if metric in MAYBE_UNDEFINED:
        out["defined"] = count / draws if draws else math.nan
    return out
