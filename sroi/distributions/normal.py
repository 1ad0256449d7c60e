"""The normal distribution, optionally truncated to [min, max]."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sroi.distributions._base import (
    _TINY_MASS,
    Distribution,
    _check_k,
    _fmt,
    _number,
    _positive,
    _special,
    _std_normal_pdf,
)

if TYPE_CHECKING:
    import numpy as np

    from sroi.distributions._base import FloatArray


@dataclass(frozen=True, slots=True, init=False, repr=False)
class Normal(Distribution):
    """Normal, truncated to [min, max] when either bound is given.

    The central value is ``mean`` clipped into [min, max]; :meth:`mean` is the
    mean of the truncated distribution. Truncated draws use the inverse CDF of
    a uniform, working in the upper tail through the survival function so that
    bounds far above the mean keep their precision.

    Examples
    --------
    >>> Normal(0.2, 0.1, min=0, max=1).central()
    0.2
    >>> Normal(-1, 1, min=0).central()
    0.0
    >>> round(Normal(0, 1, min=0).mean(), 6)  # sqrt(2 / pi)
    0.797885
    """

    mean_: float
    sd: float
    min: float | None = None
    max: float | None = None

    def __init__(
        self, mean: float, sd: float, min: float | None = None, max: float | None = None
    ) -> None:
        object.__setattr__(self, "mean_", _number("mean", mean))
        object.__setattr__(self, "sd", _number("sd", sd))
        object.__setattr__(self, "min", None if min is None else _number("min", min))
        object.__setattr__(self, "max", None if max is None else _number("max", max))
        _positive("sd", self.sd)
        if self.min is not None and self.max is not None and not self.min < self.max:
            raise ValueError(
                f"normal min must be below max; found min={_fmt(self.min)}, max={_fmt(self.max)}"
            )

    @property
    def is_truncated(self) -> bool:
        """True when a ``min`` or ``max`` is given."""
        return self.min is not None or self.max is not None

    def _std_bounds(self) -> tuple[float, float]:
        a = -math.inf if self.min is None else (self.min - self.mean_) / self.sd
        b = math.inf if self.max is None else (self.max - self.mean_) / self.sd
        return a, b

    def _mass(self) -> float:
        """Probability of [min, max] under the untruncated normal, without cancellation."""
        a, b = self._std_bounds()
        if a >= 0:  # both bounds in the upper tail: difference of survival functions
            return float(_special().ndtr(-a) - _special().ndtr(-b))
        if b <= 0:  # both in the lower tail
            return float(_special().ndtr(b) - _special().ndtr(a))
        return float(_special().erf(b / math.sqrt(2)) - _special().erf(a / math.sqrt(2))) / 2

    def central(self) -> float:
        """``mean`` clipped into [min, max]."""
        lo, hi = self.support()
        return min(max(self.mean_, lo), hi)

    def mean(self) -> float:
        """Mean of the (truncated) distribution.

        ``mean + sd * (phi(a) - phi(b)) / (Phi(b) - Phi(a))`` with ``a``, ``b``
        the standardised bounds.
        """
        if not self.is_truncated:
            return self.mean_
        a, b = self._std_bounds()
        mass = self._mass()
        if mass < _TINY_MASS:
            from scipy import stats  # rare path; scipy.stats is slow to import

            return float(stats.truncnorm.mean(a, b, loc=self.mean_, scale=self.sd))
        return self.mean_ + self.sd * (_std_normal_pdf(a) - _std_normal_pdf(b)) / mass

    def support(self) -> tuple[float, float]:
        """``(min, max)``, with -inf / inf for a missing bound."""
        lo = -math.inf if self.min is None else self.min
        hi = math.inf if self.max is None else self.max
        return (lo, hi)

    def scaled(self, k: float) -> Normal:
        """``Normal(k * mean, k * sd, k * min, k * max)``."""
        k = _check_k(k)
        return Normal(
            k * self.mean_,
            k * self.sd,
            None if self.min is None else k * self.min,
            None if self.max is None else k * self.max,
        )

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        if not self.is_truncated:
            return rng.normal(self.mean_, self.sd, size)
        return self._ppf(rng.random(size))

    def _ppf(self, q: FloatArray) -> FloatArray:
        import numpy as np

        if not self.is_truncated:
            return self.mean_ + self.sd * _special().ndtri(q)
        a, b = self._std_bounds()
        mass = self._mass()
        if mass < _TINY_MASS:
            from scipy import stats  # rare path; scipy.stats is slow to import

            z = stats.truncnorm.ppf(q, a, b)
        else:
            # Invert from whichever end is nearer: Phi^-1(Phi(a) + q Z) below the
            # median, -Phi^-1(Q(b) + (1 - q) Z) above it, with Q(x) = Phi(-x), so
            # neither tail loses precision and q = 0, 1 give min, max.
            below = _special().ndtr(a) + q * mass
            above = _special().ndtr(-b) + (1.0 - q) * mass
            z = np.where(below <= 0.5, _special().ndtri(below), -_special().ndtri(above))
        return self.mean_ + self.sd * np.clip(z, a, b)
