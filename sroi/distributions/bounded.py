"""Distributions on a finite range: fixed, uniform, triangular, Beta-PERT and beta."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sroi.distributions._base import (
    BETA_MAX_SHAPE,
    Distribution,
    _check_k,
    _fmt,
    _mode_inside,
    _normalise,
    _number,
    _ordered,
    _positive,
    _power,
    _rounded,
)

if TYPE_CHECKING:
    import numpy as np

    from sroi.distributions._base import FloatArray


@dataclass(frozen=True, slots=True, repr=False)
class Fixed(Distribution):
    """A value with no uncertainty.

    Examples
    --------
    >>> Fixed(3).central(), Fixed(3).is_fixed
    (3.0, True)
    >>> import numpy as np
    >>> Fixed(3).sample(np.random.default_rng(0), 2)
    array([3., 3.])
    """

    value: float

    def __post_init__(self) -> None:
        _normalise(self, "value")

    @property
    def is_fixed(self) -> bool:
        """Always True."""
        return True

    def central(self) -> float:
        """The value."""
        return self.value

    def mean(self) -> float:
        """The value."""
        return self.value

    def support(self) -> tuple[float, float]:
        """``(value, value)``."""
        return (self.value, self.value)

    def scaled(self, k: float) -> Fixed:
        """``Fixed(k * value)``."""
        return Fixed(_check_k(k) * self.value)

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        import numpy as np

        # Consumes nothing from ``rng``.
        return np.full(size, self.value, dtype=np.float64)

    def _ppf(self, q: FloatArray) -> FloatArray:
        import numpy as np

        return np.full(q.shape, self.value, dtype=np.float64)


@dataclass(frozen=True, slots=True, repr=False)
class Uniform(Distribution):
    """Uniform on [low, high]; central value the midpoint.

    Examples
    --------
    >>> Uniform(2, 4).central()
    3.0
    """

    low: float
    high: float

    def __post_init__(self) -> None:
        _normalise(self, "low", "high")
        _ordered(self.low, self.high)

    def central(self) -> float:
        """Midpoint ``(low + high) / 2``."""
        return (self.low + self.high) / 2

    def mean(self) -> float:
        """``(low + high) / 2``."""
        return (self.low + self.high) / 2

    def support(self) -> tuple[float, float]:
        """``(low, high)``."""
        return (self.low, self.high)

    def scaled(self, k: float) -> Uniform:
        """``Uniform(k * low, k * high)``."""
        k = _check_k(k)
        return Uniform(k * self.low, k * self.high)

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.uniform(self.low, self.high, size)

    def _ppf(self, q: FloatArray) -> FloatArray:
        return self.low + q * (self.high - self.low)


@dataclass(frozen=True, slots=True, repr=False)
class Triangular(Distribution):
    """Triangular on [low, high] peaking at ``mode``; central value the mode.

    Examples
    --------
    >>> Triangular(0, 3, 6).central(), Triangular(0, 3, 6).mean()
    (3.0, 3.0)
    """

    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        _normalise(self, "low", "mode", "high")
        _ordered(self.low, self.high)
        _mode_inside(self.low, self.mode, self.high)

    def central(self) -> float:
        """The mode."""
        return self.mode

    def mean(self) -> float:
        """``(low + mode + high) / 3``."""
        return (self.low + self.mode + self.high) / 3

    def support(self) -> tuple[float, float]:
        """``(low, high)``."""
        return (self.low, self.high)

    def scaled(self, k: float) -> Triangular:
        """``Triangular(k * low, k * mode, k * high)``."""
        k = _check_k(k)
        return Triangular(k * self.low, k * self.mode, k * self.high)

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.triangular(self.low, self.mode, self.high, size)

    def _ppf(self, q: FloatArray) -> FloatArray:
        import numpy as np

        lo, m, hi = self.low, self.mode, self.high
        width = hi - lo
        split = (m - lo) / width
        left = lo + np.sqrt(q * width * (m - lo))
        right = hi - np.sqrt((1.0 - q) * width * (hi - m))
        return np.where(q < split, left, right)


@dataclass(frozen=True, slots=True, repr=False)
class Pert(Distribution):
    """Beta-PERT (lambda = 4) on [low, high]; central value the mode.

    ``alpha = 1 + 4 (mode - low) / (high - low)``,
    ``beta = 1 + 4 (high - mode) / (high - low)``, so the mean is
    ``(low + 4 mode + high) / 6``.

    Examples
    --------
    >>> Pert(1, 2, 6).central(), Pert(1, 2, 6).mean()
    (2.0, 2.5)
    """

    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        _normalise(self, "low", "mode", "high")
        _ordered(self.low, self.high)
        _mode_inside(self.low, self.mode, self.high)

    @property
    def alpha(self) -> float:
        """First shape parameter of the underlying beta."""
        return 1 + 4 * (self.mode - self.low) / (self.high - self.low)

    @property
    def beta(self) -> float:
        """Second shape parameter of the underlying beta."""
        return 1 + 4 * (self.high - self.mode) / (self.high - self.low)

    def central(self) -> float:
        """The mode."""
        return self.mode

    def mean(self) -> float:
        """``(low + 4 mode + high) / 6``."""
        return (self.low + 4 * self.mode + self.high) / 6

    def support(self) -> tuple[float, float]:
        """``(low, high)``."""
        return (self.low, self.high)

    def scaled(self, k: float) -> Pert:
        """``Pert(k * low, k * mode, k * high)``."""
        k = _check_k(k)
        return Pert(k * self.low, k * self.mode, k * self.high)

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        return self.low + (self.high - self.low) * rng.beta(self.alpha, self.beta, size)

    def _ppf(self, q: FloatArray) -> FloatArray:
        from sroi.distributions.beta_quantile import beta_ppf  # imports numpy

        u = beta_ppf(self.alpha, self.beta, q)
        return self.low + (self.high - self.low) * u


@dataclass(frozen=True, slots=True, repr=False)
class Beta(Distribution):
    """Beta(alpha, beta) on (0, 1), for probabilities and fractions.

    Build it from a mean and sd with :meth:`from_mean_sd` or from observed
    counts with :meth:`from_counts`. Central value the mean ``a / (a + b)``.

    :meth:`scaled` raises :class:`TypeError`: ``k * X`` does not live on
    (0, 1), and beta values are probabilities, never money.

    Examples
    --------
    >>> Beta.from_counts(3, 10).central()
    0.3
    >>> Beta.from_mean_sd(0.5, 0.25)
    Beta(alpha=1.5, beta=1.5)
    """

    alpha: float
    beta: float

    def __post_init__(self) -> None:
        _normalise(self, "alpha", "beta")
        _positive("alpha", self.alpha)
        _positive("beta", self.beta)
        if max(self.alpha, self.beta) > BETA_MAX_SHAPE:
            raise ValueError(
                f"beta shapes must be at most {_power(BETA_MAX_SHAPE)}; "
                f"found alpha={_fmt(self.alpha)}, beta={_fmt(self.beta)}"
            )

    @classmethod
    def from_mean_sd(cls, mean: float, sd: float) -> Beta:
        """Method of moments: ``nu = mean (1 - mean) / sd^2 - 1``, ``a = mean nu``.

        Requires ``0 < mean < 1`` and ``0 < sd^2 < mean (1 - mean)``.

        Examples
        --------
        >>> Beta.from_mean_sd(0.2, 0.1).mean()
        0.2
        """
        m, s = _number("mean", mean), _number("sd", sd)
        if not 0 < m < 1:
            raise ValueError(f"beta mean must lie strictly between 0 and 1; found mean={_fmt(m)}")
        _positive("sd", s)
        if not s * s < m * (1 - m):
            raise ValueError(f"beta needs sd^2 < mean*(1-mean); found mean={_fmt(m)}, sd={_fmt(s)}")
        # sd^2 may round to 0, or nu overflow, for an sd far below the mean's.
        nu = m * (1 - m) / (s * s) - 1 if s * s > 0 else math.inf
        alpha, beta = m * nu, (1 - m) * nu
        if not (0 < alpha <= BETA_MAX_SHAPE and 0 < beta <= BETA_MAX_SHAPE):
            raise ValueError(_moments_problem(m, s, alpha, beta))
        return cls(alpha, beta)

    @classmethod
    def from_counts(cls, successes: float, trials: float) -> Beta:
        """``Beta(successes, trials - successes)``; requires ``0 < successes < trials``.

        Counts need not be whole numbers (weighted or effective counts are fine).

        Examples
        --------
        >>> Beta.from_counts(3, 10)
        Beta(alpha=3.0, beta=7.0)
        """
        s, n = _number("successes", successes), _number("trials", trials)
        _positive("successes", s)
        if not s < n:
            raise ValueError(
                f"successes must be below trials; found successes={_fmt(s)}, trials={_fmt(n)}"
            )
        if n > BETA_MAX_SHAPE:
            raise ValueError(
                f"trials must be at most {_power(BETA_MAX_SHAPE)}; found trials={_fmt(n)}"
            )
        return cls(s, n - s)

    def central(self) -> float:
        """The mean ``alpha / (alpha + beta)``."""
        return self.alpha / (self.alpha + self.beta)

    def mean(self) -> float:
        """``alpha / (alpha + beta)``."""
        return self.alpha / (self.alpha + self.beta)

    def support(self) -> tuple[float, float]:
        """``(0, 1)``."""
        return (0.0, 1.0)

    def scaled(self, k: float) -> Beta:
        """Not available: always raises :class:`TypeError`."""
        raise TypeError(
            "a beta distribution describes a probability on (0, 1) and cannot be scaled; "
            f"found k={k!r}"
        )

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.beta(self.alpha, self.beta, size)

    def _ppf(self, q: FloatArray) -> FloatArray:
        from sroi.distributions.beta_quantile import beta_ppf  # imports numpy

        return beta_ppf(self.alpha, self.beta, q)


def _moments_problem(m: float, s: float, alpha: float, beta: float) -> str:
    """Why a beta's mean ``m`` and sd ``s`` give no usable shapes, and what sd would."""
    rule = (
        "beta needs shapes alpha = mean*nu and beta = (1-mean)*nu, with "
        "nu = mean*(1-mean)/sd^2 - 1, "
    )
    finite = math.isfinite(alpha + beta)
    shapes = f"alpha={alpha:.3g}, beta={beta:.3g}" if finite else "infinite"
    found = f"found mean={_fmt(m)}, sd={_fmt(s)}, whose shapes would be {shapes}"
    if alpha > 0 and beta > 0:  # too certain: a shape passes the largest
        nu = BETA_MAX_SHAPE / max(m, 1 - m)
        least = math.sqrt(m * (1 - m) / (nu + 1))
        return (
            f"{rule}of at most {_power(BETA_MAX_SHAPE)}: with this mean, sd at least "
            f"{_rounded(least, up=True)} (a value this certain can be written as the fixed "
            f"number {_fmt(m)}); {found}"
        )
    top = math.sqrt(m * (1 - m))
    top_text = _rounded(top, up=False)
    return f"{rule}above 0: an sd further below sqrt(mean*(1-mean)) = {top_text}; {found}"
