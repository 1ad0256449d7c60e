"""Inverse CDFs for the quasi-random samplers, fast where the exact one is slow.

The exact beta quantile (``scipy.special.betaincinv``) costs about 2 µs a
value, which would make Sobol' and Latin hypercube runs thirty times slower
than pseudo-random ones.  For a beta margin with both shapes >= 1 (every
PERT, and most betas) :func:`quantiles` reads a table instead:

* nodes equally spaced in ``t = log(u / (1 - u))`` over ``|t| <= 28.5``
  (``u`` from 4e-13 to 1 - 4e-13), 2,049 of them;
* at each node the exact quantile ``x`` and its slope
  ``dx/dt = u (1 - u) / pdf(x)``;
* cubic Hermite interpolation in ``t`` between nodes.

**Error bound.**  Against ``betaincinv``, the error is at most 1e-6 of the
range (``high - low`` for a PERT) for every ``u`` in [1e-9, 1 - 1e-9] and
every pair of shapes >= 1 (measured below 1e-9 on shapes from 1 to 150;
``tests/test_quasi.py`` checks the 1e-6 bound).  Other margins use their
exact inverse CDF (closed forms, or ``ndtri`` at about 25 ns a value).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from sroi.distributions import Beta, Distribution, Pert

#: Half-width of the table in log-odds: covers u in [4e-13, 1 - 4e-13].
TABLE_LOGIT = 28.5
#: Intervals of the table (nodes: one more).
TABLE_INTERVALS = 2048


@dataclass(frozen=True)
class BetaTable:
    """Quantiles of a beta distribution on (0, 1) at nodes equally spaced in
    log-odds, with their slopes in log-odds (see the module docstring)."""

    start: float
    step: float
    x: np.ndarray
    slope: np.ndarray

    def __call__(self, u: np.ndarray) -> np.ndarray:
        """The quantiles at probabilities ``u`` in (0, 1)."""
        t = np.log(u) - np.log1p(-u)
        pos = (t - self.start) / self.step
        j = np.clip(pos, 0, TABLE_INTERVALS - 1).astype(np.intp)
        f = np.clip(pos - j, 0.0, 1.0)
        f2 = f * f
        f3 = f2 * f
        x0, x1 = self.x[j], self.x[j + 1]
        s0, s1 = self.slope[j] * self.step, self.slope[j + 1] * self.step
        return (
            (2 * f3 - 3 * f2 + 1) * x0
            + (f3 - 2 * f2 + f) * s0
            + (3 * f2 - 2 * f3) * x1
            + (f3 - f2) * s1
        )


@lru_cache(maxsize=1024)
def beta_table(alpha: float, beta: float) -> BetaTable:
    """The quantile table of Beta(``alpha``, ``beta``), both >= 1."""
    from scipy import special  # imported here: scipy is slow to import

    t = np.linspace(-TABLE_LOGIT, TABLE_LOGIT, TABLE_INTERVALS + 1)
    u = special.expit(t)
    x = special.betaincinv(alpha, beta, u)
    log_pdf = (alpha - 1) * np.log(x) + (beta - 1) * np.log1p(-x) - special.betaln(alpha, beta)
    slope = u * (1 - u) / np.exp(log_pdf)
    return BetaTable(float(t[0]), float(t[1] - t[0]), x, slope)


def quantiles(distribution: Distribution, u: np.ndarray) -> np.ndarray:
    """``distribution``'s quantiles at probabilities ``u`` in (0, 1): from a
    table for a beta or PERT with shapes >= 1, else its exact ``ppf``."""
    if isinstance(distribution, (Pert, Beta)) and min(distribution.alpha, distribution.beta) >= 1:
        unit = beta_table(float(distribution.alpha), float(distribution.beta))(u)
        if isinstance(distribution, Pert):
            return distribution.low + (distribution.high - distribution.low) * unit
        return unit
    return distribution.ppf(u)
