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

**Checked nodes.**  A node whose quantile rounds to 0 or 1 has no finite
slope; the table is flat there.  For some very unequal shapes (Beta(1000,
1e9), counts of 1,000 in a billion) ``betaincinv`` is far wrong, and a table
built on it reads nonsense.  So a table with a shape above 10,000 is used
only when every node's CDF is within 1e-7 of the range of its probability
(:func:`_trusted`); a beta whose table fails is drawn by numpy's sampler
instead, and its quantiles are its inverse CDF, which checks scipy's answer
against the CDF and solves afresh where it is wrong
(:mod:`sroi.distributions.beta_quantile`).

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

    def __call__(self, u: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """The quantiles at probabilities ``u`` in [0, 1), into ``out`` when
        given (an array of ``u``'s shape, which may be ``u`` itself: ``u`` is
        read only before ``out`` is written).

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
        x = c3.take(j, out=out, mode="clip")
        for c in (c2, c1, c0):
            x *= f
            x += c.take(j, out=spare, mode="clip")
        return x


@lru_cache(maxsize=1024)
def beta_table(alpha: float, beta: float) -> BetaTable | None:
    """The quantile table of Beta(``alpha``, ``beta``), both >= 1; None when
    its nodes cannot be trusted (see :func:`_trusted`)."""
    from scipy import special  # imported here: scipy is slow to import

    t = np.linspace(-TABLE_LOGIT, TABLE_LOGIT, TABLE_INTERVALS + 1)
    u = special.expit(t)
    with np.errstate(all="ignore"):  # a table that overflows is refused below
        x = special.betaincinv(alpha, beta, u)
        log_pdf = (alpha - 1) * np.log(x) + (beta - 1) * np.log1p(-x) - special.betaln(alpha, beta)
        step = float(t[1] - t[0])
        # Hermite cubic on each interval in f = (t - t_j) / step, with end
        # values x_j, x_j+1 and end slopes s_j, s_j+1 (per unit f).
        slope = u * (1 - u) / np.exp(log_pdf) * step
        # A node whose quantile rounds to 0 or 1 (Beta(85000, 1) near the top)
        # has no finite slope; the quantile is flat there, to within 1e-16.
        slope = np.where((x > 0) & (x < 1), slope, 0.0)
        x0, x1, s0, s1 = x[:-1], x[1:], slope[:-1], slope[1:]
        cubic = np.stack([2 * (x0 - x1) + s0 + s1, 3 * (x1 - x0) - 2 * s0 - s1, s0, x0])
        if not _trusted(alpha, beta, u, x, log_pdf, cubic):
            return None
    cubic.setflags(write=False)
    return BetaTable(float(t[0]), step, cubic)


#: Shapes up to which ``betaincinv`` is accurate (``tests/test_quasi.py``
#: checks tables against it up to 10,000), so only larger ones have their
#: nodes checked: the check costs twice the table.
_EXACT_SHAPES = 1e4

#: Largest error of a table node, as its CDF's distance from the node's
#: probability over the density there [range]: inside the documented 1e-6.
_NODE_ERROR = 1e-7


def _trusted(
    alpha: float,
    beta: float,
    u: np.ndarray,
    x: np.ndarray,
    log_pdf: np.ndarray,
    cubic: np.ndarray,
) -> bool:
    """Whether a table's nodes are the quantiles they should be.

    ``betaincinv`` can be far wrong for very unequal shapes (Beta(1000, 1e9):
    2e-6 at the median, where the quantile is 1e-6), and a table built on it
    reads nonsense (1e102 for a probability).  The nodes must be finite, in
    order and within [0, 1], and every coefficient finite; with a shape above
    :data:`_EXACT_SHAPES`, each node inside (0, 1) must also lie within
    :data:`_NODE_ERROR` of the range of its quantile (measured as its CDF's
    distance from its probability over the density there).
    """
    from scipy import special

    # Ordered up to the error allowed: betaincinv's own noise on a very
    # concentrated beta can swap neighbouring nodes by less.
    if not (np.all(np.isfinite(cubic)) and np.all(np.diff(x) >= -_NODE_ERROR)):
        return False
    if not (x[0] >= 0 and x[-1] <= 1):
        return False
    if max(alpha, beta) <= _EXACT_SHAPES:
        return True
    # Above the median, the upper tail: 1 - u is exact there, and carries the
    # precision that u, within 1.1e-16 of 1, has lost.
    # A node at exactly 0 or 1 is the nearest float to its quantile.
    inside = (x > 0) & (x < 1)
    upper = u > 0.5
    gap = np.where(
        upper,
        special.betaincc(alpha, beta, x) - (1 - u),
        special.betainc(alpha, beta, x) - u,
    )
    miss = np.abs(gap[inside]) / np.exp(log_pdf[inside])
    return bool(np.all(miss <= _NODE_ERROR))


def tabulated(distribution: Distribution) -> TypeGuard[Pert | Beta]:
    """True for a beta or PERT with both shapes >= 1 whose table can be
    trusted: :func:`quantiles` reads it.  Any other (Beta(1000, 1e9), whose
    exact quantiles scipy gets wrong) is drawn by numpy's sampler, and its
    quantiles are its exact inverse CDF."""
    if not isinstance(distribution, (Pert, Beta)):
        return False
    if min(distribution.alpha, distribution.beta) < 1:
        return False
    return beta_table(float(distribution.alpha), float(distribution.beta)) is not None


def quantiles(
    distribution: Distribution, u: np.ndarray, out: np.ndarray | None = None
) -> np.ndarray:
    """``distribution``'s quantiles at probabilities ``u`` in (0, 1): from a
    table for a beta or PERT with shapes >= 1, else its exact ``ppf``.

    With ``out`` (an array of ``u``'s shape, which may be ``u`` itself) they
    are written there, so that a caller filling a larger array allocates
    none for them.
    """
    if tabulated(distribution):
        table = beta_table(float(distribution.alpha), float(distribution.beta))
        assert table is not None  # tabulated() says so
        x = table(u, out=out)
        if isinstance(distribution, Pert):
            x *= distribution.high - distribution.low
            x += distribution.low
        return x
    if out is None:
        return distribution.ppf(u)
    out[...] = distribution.ppf(u)
    return out
