"""The beta quantile function, checked and corrected where scipy's is wrong.

``scipy.special.betaincinv`` is accurate for most pairs of shapes, but for
some very unequal ones it is far wrong: for Beta(1000, 1e9) (counts of
1,000 in a billion) it returns 1.9e-6 at every probability up to the
median, where the 5th percentile is 9.5e-7, fifteen standard deviations
away.  Its CDF, ``scipy.special.betainc``, stays accurate there.

So :func:`beta_ppf` takes ``betaincinv``'s answer and measures how far it
is from the quantile by one Newton step on ``betainc`` (the CDF's distance
from the probability, over the density).  Where that is more than
:data:`TOLERANCE_SDS` standard deviations, it solves ``betainc(x) = q``
afresh, by Newton's method kept inside a shrinking bracket.  Each tail is
solved on its own side (``betaincc`` above the median), where the
probability carries its full precision.

The CDF is the referee only where it is accurate: when the smaller shape is
at most :data:`CDF_SHAPES`.  With both shapes above that, ``betainc`` can
be off by tenths of a standard deviation (Beta(1e15, 1e15)), while
``betaincinv`` stays within about 0.01 of one, and is kept.
``tests/test_distributions.py`` checks corrected quantiles against the CDF
and the moments.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: How far ``betaincinv``'s answer may lie from the quantile, as one Newton
#: step measures it, before it is solved afresh [standard deviations of the
#: distribution].  Where it is right, it is within about 1e-9 of one.
TOLERANCE_SDS = 1e-6

#: Largest smaller shape at which ``betainc`` is trusted to referee the
#: quantile [1]: up to it, ``betainc`` agrees with the Cornish-Fisher
#: quantiles of Beta(1e7, b) for every b from 1e7 to 1e15, to the 1e-6
#: standard deviations the expansion itself is good to.
CDF_SHAPES = 1e7

#: A value is settled when its CDF is within this share of its probability,
#: a step would move it by less than this share of itself, or its bracket
#: is that narrow [1]: far below any input's precision, and above the
#: CDF's own rounding, which keeps Newton steps of about 1e-15 going.
SETTLED = 1e-13

#: Most Newton or bisection steps of the solve: each step at least halves
#: the bracket in the log of the value, so this covers every double.
MAX_STEPS = 300


def beta_ppf(alpha: float, beta: float, q: np.ndarray) -> np.ndarray:
    """Quantiles of Beta(``alpha``, ``beta``) at probabilities ``q`` in
    [0, 1], as float64 of ``q``'s shape."""
    from scipy import special  # imported here: scipy is slow to import

    q = np.asarray(q, dtype=np.float64)
    with np.errstate(all="ignore"):
        x = np.asarray(special.betaincinv(alpha, beta, q), dtype=np.float64)
        inside = (q > 0) & (q < 1)
        if min(alpha, beta) > CDF_SHAPES or not np.any(inside):
            return x
        upper = q > 0.5
        target = np.where(upper, 1.0 - q, q)  # exact for q in (0.5, 1]
        sd = _sd(alpha, beta)
        gap = np.empty_like(x)
        for side in (False, True):  # each tail's CDF, computed only for it
            chosen = upper == side
            gap[chosen] = _gap(special, alpha, beta, x[chosen], target[chosen], side)
        off = np.abs(gap) / _pdf(special, alpha, beta, x)
        # Within the tolerance, or within a few representable steps of x
        # (Beta(1e13, 1) lies within 1e-13 of 1, where the CDF jumps by 1e-3 a
        # step); NaN counts as wrong.
        wrong = inside & ~(off <= np.maximum(TOLERANCE_SDS * sd, 8 * np.spacing(x)))
        if np.any(wrong):
            x = np.array(x, copy=True)
            x[wrong] = _solve(special, alpha, beta, target[wrong], upper[wrong])
    return x


def _sd(alpha: float, beta: float) -> float:
    """Standard deviation of Beta(alpha, beta), written so it does not overflow."""
    total = alpha + beta
    return float(np.sqrt(alpha / total * (beta / total) / (total + 1.0)))


def _gap(
    special: Any, alpha: float, beta: float, x: np.ndarray, target: np.ndarray, upper: bool
) -> np.ndarray:
    """CDF at ``x`` minus its probability, measured in the upper tail when
    ``upper`` (with the sign of the lower, so it increases with ``x``)."""
    if upper:
        return np.asarray(target - special.betaincc(alpha, beta, x))
    return np.asarray(special.betainc(alpha, beta, x) - target)


def _pdf(special: Any, alpha: float, beta: float, x: np.ndarray) -> np.ndarray:
    """Beta density at ``x``, through its logarithm."""
    log_pdf = (alpha - 1.0) * np.log(x) + (beta - 1.0) * np.log1p(-x) - special.betaln(alpha, beta)
    return np.asarray(np.exp(log_pdf))


def _solve(
    special: Any, alpha: float, beta: float, target: np.ndarray, upper: np.ndarray
) -> np.ndarray:
    """``x`` in [0, 1] where the CDF meets ``target`` (the upper tail where
    ``upper``), each tail solved on its own."""
    x = np.empty_like(target)
    for side in (False, True):
        chosen = upper == side
        if np.any(chosen):
            x[chosen] = _solve_tail(special, alpha, beta, target[chosen], side)
    return x


def _solve_tail(
    special: Any, alpha: float, beta: float, target: np.ndarray, upper: bool
) -> np.ndarray:
    """:func:`_solve` for one tail: Newton steps from the normal
    approximation, each kept inside a bracket that every step shrinks; a
    step that would leave it bisects instead, in the log of the value while
    the bracket spans more than a factor of two.  Only the values not yet
    settled are stepped."""
    z = special.ndtri(target)
    start = alpha / (alpha + beta) + _sd(alpha, beta) * (-z if upper else z)
    x = np.clip(start, 0.0, 1.0)
    lo, hi = np.zeros_like(target), np.ones_like(target)
    x = np.where((x > 0) & (x < 1), x, alpha / (alpha + beta))
    open_ = np.arange(target.size)
    for _ in range(MAX_STEPS):
        xs, ts = x[open_], target[open_]
        gap = _gap(special, alpha, beta, xs, ts, upper)
        lo[open_] = np.where(gap <= 0, xs, lo[open_])
        hi[open_] = np.where(gap >= 0, xs, hi[open_])
        a, b = lo[open_], hi[open_]
        step = xs - gap / _pdf(special, alpha, beta, xs)
        narrow = (a > 0) & (b - a <= 0.5 * b)
        half = np.where(narrow, 0.5 * (a + b), np.where(a > 0, np.sqrt(a * b), b / 64))
        # A step onto an end of the bracket is kept: near the root the end is
        # the value itself.
        nxt = np.where((step >= a) & (step <= b), step, half)
        found = np.abs(gap) <= SETTLED * ts  # the value is the quantile
        x[open_] = np.where(found, xs, nxt)
        settled = found | (np.abs(nxt - xs) <= SETTLED * xs) | (b - a <= SETTLED * b)
        open_ = open_[~settled]
        if not open_.size:
            break
    return x
