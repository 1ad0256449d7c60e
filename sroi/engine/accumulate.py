"""Mergeable partial summaries of Monte Carlo draws, with bounded memory.

A run's summaries must not depend on how its draws were cut into chunks or
spread over workers.  So every statistic is defined on the fixed stream
blocks of :data:`~sroi.sampling.streams.BLOCK` draws:

* **moments**: per block, the count of draws where a metric is defined, its
  mean and sum of squared deviations (M2); blocks are merged in block order
  with the pairwise update of Chan, Golub and LeVeque (1979).  The result is
  exact up to rounding, and the same bits whatever the chunking.
* **counts** (``sroi_ratio > 1``, ``npv > 0``, payback reached): integers.
* **stored draws**: every ``step``-th draw (draw ``i`` is kept when
  ``i % step == 0``).  ``step`` is 1 while all draws fit
  :data:`STORE_BUDGET_BYTES`; percentiles are then exact.  Beyond the budget
  they come from the systematic sample of stored draws (see
  ``docs/performance.md`` for the error this implies).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sroi.sampling.streams import BLOCK
from sroi.vocabulary import PERSPECTIVES

#: Memory for stored per-draw metrics and yearly positions of a run [bytes].
STORE_BUDGET_BYTES = 320 * 2**20

#: Conditions counted per draw, by name: SROI > 1, NPV > 0 and payback, then
#: for each perspective ``ratio_above_1.<id>`` (its value / its cost > 1),
#: ``net_positive.<id>`` (its value − its cost > 0) and ``payback.<id>``.
CONDITIONS = (
    "sroi_above_1",
    "npv_positive",
    "payback",
    *(f"{c}.{p}" for p in PERSPECTIVES for c in ("ratio_above_1", "net_positive", "payback")),
)

Metrics = dict[str, np.ndarray]


@dataclass(frozen=True)
class Moments:
    """Count, mean and M2 (sum of squared deviations) of the defined draws of
    one metric, per block: arrays of one value per block, in block order."""

    count: np.ndarray
    mean: np.ndarray
    m2: np.ndarray

    @classmethod
    def of(cls, values: np.ndarray, first_draw: int) -> Moments:
        """Per-block moments of draws ``first_draw ..`` (NaN draws left out).

        ``first_draw`` must start a block, or the values must lie in one block.
        """
        counts, means, m2s = [], [], []
        for lo, hi in block_spans(first_draw, first_draw + values.size):
            part = values[lo - first_draw : hi - first_draw]
            # The sum is NaN when some draw is: only then are draws left out
            # and summed again.  The mean is the sum over the count, as in
            # np.mean (the same pairwise sum, so the same bits).
            total = float(np.add.reduce(part))
            if math.isnan(total):
                part = part[~np.isnan(part)]
                total = float(np.add.reduce(part))
            counts.append(part.size)
            mean = total / part.size if part.size else 0.0
            means.append(mean)
            deviation = part - mean
            np.multiply(deviation, deviation, out=deviation)
            m2s.append(float(np.sum(deviation)) if part.size else 0.0)
        return cls(np.array(counts), np.array(means), np.array(m2s))

    @staticmethod
    def concat(parts: list[Moments]) -> Moments:
        """Blocks of consecutive chunks, in order."""
        return Moments(
            np.concatenate([p.count for p in parts]),
            np.concatenate([p.mean for p in parts]),
            np.concatenate([p.m2 for p in parts]),
        )

    def total(self) -> tuple[int, float, float]:
        """``(count, mean, M2)`` of all blocks, merged in block order."""
        n, mean, m2 = 0, 0.0, 0.0
        for nb, mb, m2b in zip(
            self.count.tolist(), self.mean.tolist(), self.m2.tolist(), strict=True
        ):
            if nb == 0:
                continue
            if n == 0:
                n, mean, m2 = nb, mb, m2b
                continue
            total = n + nb
            delta = mb - mean
            mean = mean + delta * nb / total
            m2 = m2 + m2b + delta * delta * n * nb / total
            n = total
        return n, (mean if n else math.nan), m2


def block_spans(start: int, stop: int) -> list[tuple[int, int]]:
    """``(lo, hi)`` pieces of draws ``start .. stop-1`` cut at block edges."""
    spans = []
    lo = start
    while lo < stop:
        hi = min(stop, (lo // BLOCK + 1) * BLOCK)
        spans.append((lo, hi))
        lo = hi
    return spans


def store_step(draws: int, bytes_per_draw: int, budget: int = STORE_BUDGET_BYTES) -> int:
    """Keep every ``step``-th draw so stored draws fit ``budget`` bytes.

    >>> store_step(10_000, 1_000)
    1
    >>> store_step(10_000_000, 1_000, budget=100_000_000)
    100
    """
    fits = max(budget // max(bytes_per_draw, 1), 1)
    return max(1, math.ceil(draws / fits))


def stored_indices(start: int, stop: int, step: int) -> slice:
    """Positions, within draws ``start .. stop-1``, of the draws kept."""
    first = -start % step
    return slice(first, stop - start, step)


def condition_counts(m: Metrics) -> dict[str, int]:
    """How many draws have SROI > 1, NPV > 0, and pay back; and for each
    perspective, how many have its return above 1, its net value above 0 and
    pay back on its terms (:data:`CONDITIONS`)."""
    out = {
        "sroi_above_1": int(np.count_nonzero(m["sroi_ratio"] > 1.0)),
        "npv_positive": int(np.count_nonzero(m["npv"] > 0.0)),
        "payback": int(np.count_nonzero(~np.isnan(m["payback_year"]))),
    }
    for p in PERSPECTIVES.values():
        value, cost = m[p.value_metric], m[p.cost]
        if p.ratio_metric in m:  # the metric that holds it (sroi_ratio, public_roi, ...)
            above = m[p.ratio_metric] > 1.0
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                above = (cost > 0) & (value / cost > 1.0)
        net = m[p.net_metric] if p.net_metric in m else value - cost
        out[f"ratio_above_1.{p.id}"] = int(np.count_nonzero(above))
        out[f"net_positive.{p.id}"] = int(np.count_nonzero(net > 0.0))
        out[f"payback.{p.id}"] = int(np.count_nonzero(~np.isnan(m[p.payback_metric])))
    return out
