"""Inverse CDFs, fast where the exact one is slow.

The exact beta quantile (``scipy.special.betaincinv``) costs about 2 µs a
value, which would make Sobol' and Latin hypercube runs thirty times slower
than pseudo-random ones.  For a beta margin with both shapes >= 1 (every
PERT, and most betas) :func:`quantiles` reads a table instead, under every
sampler: the pseudo-random streams too turn a uniform into a beta or PERT
draw through it (about 13 ns a value with its uniform, against 38 ns for
numpy's beta sampler on the same generator).  The table holds:

* nodes equally spaced in ``t = log(u / (1 - u))`` over ``|t| <= 28.5``
  (``u`` from 4e-13 to 1 - 4e-13), 2,049 of them;
* at each node the exact quantile ``x`` and its slope
  ``dx/dt = u (1 - u) / pdf(x)``;
* cubic Hermite interpolation in ``t`` between nodes, stored as the four
  coefficients of a cubic per interval.

A ``u`` beyond the end nodes (below 4e-13 or above 1 - 4e-13, including an
exact 0) reads the end node's quantile: at most 4e-13 of probability at
each end moves to the end node.

**Error bound.**  Against ``betaincinv``, the error is at most 1e-6 of the
range (``high - low`` for a PERT) for every ``u`` in [1e-9, 1 - 1e-9] and
every pair of shapes >= 1 (measured below 1e-9 on shapes from 1 to 150;
``tests/test_quasi.py`` checks the 1e-6 bound for shapes up to 10,000).
Other margins use their exact inverse CDF (closed forms, or ``ndtri`` at
about 25 ns a value).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TypeGuard

import numpy as np

from sroi.distributions import Beta, Distribution, Pert

#: Half-width of the table in log-odds: covers u in [4e-13, 1 - 4e-13].
TABLE_LOGIT = 28.5
#: Intervals of the table (nodes: one more).
TABLE_INTERVALS = 2048
#: Smallest probability read (below the first node, so it reads that node).
_SMALLEST = 2.0**-60
#: Largest position in the table, in intervals: just short of the last node,
#: so the interval index stays in range.
_LAST = TABLE_INTERVALS * (1 - 2.0**-40)


@dataclass(frozen=True)
class BetaTable:
    """Quantiles of a beta distribution on (0, 1) between nodes equally
    spaced in log-odds (see the module docstring).

    start, step : float
        Log-odds of the first node and the spacing of the nodes.
    cubic : numpy.ndarray
        Shape ``(4, TABLE_INTERVALS)``: on interval ``j``, the quantile at
        fraction ``f`` in [0, 1] of the way to the next node is
        ``((cubic[0, j] f + cubic[1, j]) f + cubic[2, j]) f + cubic[3, j]``.
    """

    start: float
    step: float
    cubic: np.ndarray

    def __call__(self, u: np.ndarray) -> np.ndarray:
        """The quantiles at probabilities ``u`` in [0, 1).

        Written with few temporary arrays: for a block of draws each new
        array costs about as much as the arithmetic done on it.
        """
        pos = np.maximum(u, _SMALLEST)  # log-odds of an exact 0 is -inf
        spare = np.subtract(1.0, pos)
        np.divide(pos, spare, out=pos)
        np.log(pos, out=pos)
        pos -= self.start
        pos *= 1.0 / self.step
        np.clip(pos, 0.0, _LAST, out=pos)
        j = pos.astype(np.intp)
        f = np.subtract(pos, j, out=pos)
        c3, c2, c1, c0 = self.cubic
        # j is within the table already; "clip" spares numpy's range check.
        x = c3.take(j, mode="clip")
        for c in (c2, c1, c0):
            x *= f
            x += c.take(j, out=spare, mode="clip")
        return x


@lru_cache(maxsize=1024)
def beta_table(alpha: float, beta: float) -> BetaTable:
    """The quantile table of Beta(``alpha``, ``beta``), both >= 1."""
    from scipy import special  # imported here: scipy is slow to import

    t = np.linspace(-TABLE_LOGIT, TABLE_LOGIT, TABLE_INTERVALS + 1)
    u = special.expit(t)
    x = special.betaincinv(alpha, beta, u)
    log_pdf = (alpha - 1) * np.log(x) + (beta - 1) * np.log1p(-x) - special.betaln(alpha, beta)
    step = float(t[1] - t[0])
    # Hermite cubic on each interval in f = (t - t_j) / step, with end
    # values x_j, x_j+1 and end slopes s_j, s_j+1 (per unit f).
    slope = u * (1 - u) / np.exp(log_pdf) * step
    x0, x1, s0, s1 = x[:-1], x[1:], slope[:-1], slope[1:]
    cubic = np.stack([2 * (x0 - x1) + s0 + s1, 3 * (x1 - x0) - 2 * s0 - s1, s0, x0])
    cubic.setflags(write=False)
    return BetaTable(float(t[0]), step, cubic)


def tabulated(distribution: Distribution) -> TypeGuard[Pert | Beta]:
    """True for a beta or PERT with both shapes >= 1: :func:`quantiles`
    reads its table."""
    if not isinstance(distribution, (Pert, Beta)):
        return False
    return min(distribution.alpha, distribution.beta) >= 1


def quantiles(distribution: Distribution, u: np.ndarray) -> np.ndarray:
    """``distribution``'s quantiles at probabilities ``u`` in (0, 1): from a
    table for a beta or PERT with shapes >= 1, else its exact ``ppf``."""
    if tabulated(distribution):
        x = beta_table(float(distribution.alpha), float(distribution.beta))(u)
        if isinstance(distribution, Pert):
            x *= distribution.high - distribution.low
            x += distribution.low
        return x
    return distribution.ppf(u)
