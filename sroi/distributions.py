"""Distributions for uncertain values: declare first, evaluate later.

Each class is a small immutable description of one distribution from the
scenario language (model contract, section "Values: fixed or
uncertain"). Nothing here holds random state: drawing is a separate step,
:meth:`Distribution.sample`, that takes a :class:`numpy.random.Generator` and a
size and returns a float64 array.

Every distribution offers the same small interface:

``central()``
    the base-case value the contract assigns (mode, midpoint, mean, ...);
``mean()``
    the analytic expectation;
``support()``
    the interval the values lie in (ends may be infinite);
``sample(rng, size)``
    ``size`` independent draws;
``ppf(q)``
    the inverse cumulative distribution function, vectorised (used by the
    Gaussian copula and by sensitivity analysis);
``scaled(k)``
    the distribution of ``k * X`` for ``k > 0``;
``is_fixed``
    true only for :class:`Fixed`.

Reproducibility: draws are made one after another from the generator, so for
the same generator state ``sample(rng, n)[:m]`` equals ``sample(rng, m)`` bit
for bit. Changing the number of draws therefore never changes the first ones.

Parameters are checked on construction; a bad one raises :class:`ValueError`
with a short message of the form "what was expected; found what was given",
which the scenario validator shows to the user as it is.

Examples
--------
>>> rng = np.random.default_rng(1)
>>> d = Pert(1, 2, 6)
>>> d.central(), d.mean()
(2.0, 2.5)
>>> d.sample(rng, 4).shape
(4,)
"""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "Beta",
    "Distribution",
    "Fixed",
    "Gamma",
    "LogNormal",
    "Normal",
    "Pert",
    "Range90",
    "Triangular",
    "Uniform",
]

FloatArray = npt.NDArray[np.float64]

#: Standard normal 95th percentile as written in the model contract (range90).
Z95 = 1.6448536


def _special() -> Any:
    """scipy.special, imported on first use: validation never needs it."""
    from scipy import special

    return special


#: Below this probability mass a truncated normal is handled by scipy.stats,
#: which works in log space; the direct formulas would underflow.
_TINY_MASS = 1e-250


# --------------------------------------------------------------------------- helpers


def _fmt(x: float) -> str:
    """Format a number for an error message: ``10`` rather than ``10.0``."""
    if math.isfinite(x) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def _number(name: str, x: object) -> float:
    """Return ``x`` as a finite float or raise ValueError naming ``name``."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise ValueError(f"{name} must be a number; found {name}={x!r}")
    value = float(x)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; found {name}={value!r}")
    return value


def _positive(name: str, x: float) -> None:
    if not x > 0:
        raise ValueError(f"{name} must be > 0; found {name}={_fmt(x)}")


def _normalise(obj: object, *names: str) -> None:
    """Check each named attribute is a finite number and store it as float."""
    for name in names:
        object.__setattr__(obj, name, _number(name, getattr(obj, name)))


def _ordered(low: float, high: float) -> None:
    if not low < high:
        hint = " (write a single number for a value that is not uncertain)" if low == high else ""
        raise ValueError(f"low must be below high; found low={_fmt(low)}, high={_fmt(high)}{hint}")


def _mode_inside(low: float, mode: float, high: float) -> None:
    if not low <= mode <= high:
        raise ValueError(
            f"mode must lie within [low, high]; "
            f"found mode={_fmt(mode)} outside [{_fmt(low)}, {_fmt(high)}]"
        )


def _check_k(k: float) -> float:
    k = _number("k", k)
    if not k > 0:
        raise ValueError(f"scale factor k must be > 0; found k={_fmt(k)}")
    return k


def _lognormal_params(mean: float, sd: float) -> tuple[float, float]:
    """(mu, sigma) of the lognormal with the given mean and sd of the variable."""
    sigma2 = math.log1p((sd / mean) ** 2)
    return math.log(mean) - sigma2 / 2, math.sqrt(sigma2)


def _std_normal_pdf(z: float) -> float:
    return math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi) if math.isfinite(z) else 0.0


# --------------------------------------------------------------------------- base


class Distribution(ABC):
    """Common interface of every distribution in this module.

    Subclasses are frozen dataclasses; :meth:`sample` and :meth:`ppf` check
    their arguments here and delegate to ``_draw`` and ``_ppf``. Where a
    parameter is called ``mean`` it is stored as the attribute ``mean_``,
    because ``mean()`` is the analytic expectation.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        # Written as the constructor call; ``mean_`` is the ``mean`` argument.
        names = [f.name for f in fields(self)]  # type: ignore[arg-type]
        args = ", ".join(f"{name.rstrip('_')}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({args})"

    @property
    def is_fixed(self) -> bool:
        """True only for :class:`Fixed` (a value with no uncertainty)."""
        return False

    @abstractmethod
    def central(self) -> float:
        """The base-case value the model contract assigns to this distribution."""

    @abstractmethod
    def mean(self) -> float:
        """The analytic expectation."""

    @abstractmethod
    def support(self) -> tuple[float, float]:
        """``(lowest, highest)`` possible value; either end may be infinite."""

    @abstractmethod
    def scaled(self, k: float) -> Distribution:
        """The distribution of ``k * X`` for a finite ``k > 0``, of the same class."""

    @abstractmethod
    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray: ...

    @abstractmethod
    def _ppf(self, q: FloatArray) -> FloatArray: ...

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` independent values.

        Parameters
        ----------
        rng : numpy.random.Generator
            The only source of randomness; it is advanced by the draw.
        size : int
            Number of draws, >= 0.

        Returns
        -------
        numpy.ndarray
            float64 array of shape ``(size,)``. For the same generator state
            the first ``m`` of ``n`` draws equal a draw of ``m``.

        Examples
        --------
        >>> Uniform(0, 10).sample(np.random.default_rng(0), 3).round(3)
        array([6.37 , 2.698, 0.41 ])
        """
        if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 0:
            raise ValueError(f"size must be a whole number >= 0; found size={size!r}")
        return np.asarray(self._draw(rng, int(size)), dtype=np.float64)

    def ppf(self, q: npt.ArrayLike) -> FloatArray:
        """Inverse cumulative distribution function (quantile function).

        Parameters
        ----------
        q : array_like
            Probabilities in [0, 1].

        Returns
        -------
        numpy.ndarray
            float64 quantiles, the same shape as ``q``.

        Examples
        --------
        >>> Uniform(0, 10).ppf([0.0, 0.25, 1.0])
        array([ 0. ,  2.5, 10. ])
        """
        arr = np.asarray(q, dtype=np.float64)
        if not np.all((arr >= 0.0) & (arr <= 1.0)):
            raise ValueError("ppf needs probabilities in [0, 1]; found values outside [0, 1]")
        return np.asarray(self._ppf(arr), dtype=np.float64)


# --------------------------------------------------------------------------- classes


@dataclass(frozen=True, slots=True, repr=False)
class Fixed(Distribution):
    """A value with no uncertainty.

    Examples
    --------
    >>> Fixed(3).central(), Fixed(3).is_fixed
    (3.0, True)
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
        # Consumes nothing from ``rng``.
        return np.full(size, self.value, dtype=np.float64)

    def _ppf(self, q: FloatArray) -> FloatArray:
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
        u = _special().betaincinv(self.alpha, self.beta, q)
        return self.low + (self.high - self.low) * u


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


@dataclass(frozen=True, slots=True, init=False, repr=False)
class LogNormal(Distribution):
    """Lognormal given the mean and sd of the variable itself.

    ``sigma^2 = ln(1 + sd^2 / mean^2)``, ``mu = ln(mean) - sigma^2 / 2``.

    Examples
    --------
    >>> LogNormal(100, 30).central()
    100.0
    >>> LogNormal(100, 30).support()
    (0.0, inf)
    """

    mean_: float
    sd: float

    def __init__(self, mean: float, sd: float) -> None:
        object.__setattr__(self, "mean_", _number("mean", mean))
        object.__setattr__(self, "sd", _number("sd", sd))
        if not self.mean_ > 0:
            raise ValueError(f"lognormal mean must be > 0; found mean={_fmt(self.mean_)}")
        _positive("sd", self.sd)

    @property
    def mu(self) -> float:
        """Mean of ``ln X``."""
        return _lognormal_params(self.mean_, self.sd)[0]

    @property
    def sigma(self) -> float:
        """Standard deviation of ``ln X``."""
        return _lognormal_params(self.mean_, self.sd)[1]

    def central(self) -> float:
        """The mean."""
        return self.mean_

    def mean(self) -> float:
        """The mean."""
        return self.mean_

    def support(self) -> tuple[float, float]:
        """``(0, inf)``."""
        return (0.0, math.inf)

    def scaled(self, k: float) -> LogNormal:
        """``LogNormal(k * mean, k * sd)``."""
        k = _check_k(k)
        return LogNormal(k * self.mean_, k * self.sd)

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        mu, sigma = _lognormal_params(self.mean_, self.sd)
        return rng.lognormal(mu, sigma, size)

    def _ppf(self, q: FloatArray) -> FloatArray:
        mu, sigma = _lognormal_params(self.mean_, self.sd)
        return np.exp(mu + sigma * _special().ndtri(q))


@dataclass(frozen=True, slots=True, init=False, repr=False)
class Gamma(Distribution):
    """Gamma by the method of moments: shape ``mean^2/sd^2``, scale ``sd^2/mean``.

    Examples
    --------
    >>> g = Gamma(10, 5)
    >>> g.shape, g.scale, g.central()
    (4.0, 2.5, 10.0)
    """

    mean_: float
    sd: float

    def __init__(self, mean: float, sd: float) -> None:
        object.__setattr__(self, "mean_", _number("mean", mean))
        object.__setattr__(self, "sd", _number("sd", sd))
        if not self.mean_ > 0:
            raise ValueError(f"gamma mean must be > 0; found mean={_fmt(self.mean_)}")
        _positive("sd", self.sd)

    @property
    def shape(self) -> float:
        """Shape parameter ``mean^2 / sd^2``."""
        return (self.mean_ / self.sd) ** 2

    @property
    def scale(self) -> float:
        """Scale parameter ``sd^2 / mean``."""
        return self.sd**2 / self.mean_

    def central(self) -> float:
        """The mean."""
        return self.mean_

    def mean(self) -> float:
        """The mean."""
        return self.mean_

    def support(self) -> tuple[float, float]:
        """``(0, inf)``."""
        return (0.0, math.inf)

    def scaled(self, k: float) -> Gamma:
        """``Gamma(k * mean, k * sd)``."""
        k = _check_k(k)
        return Gamma(k * self.mean_, k * self.sd)

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.gamma(self.shape, self.scale, size)

    def _ppf(self, q: FloatArray) -> FloatArray:
        return self.scale * _special().gammaincinv(self.shape, q)


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
        nu = m * (1 - m) / (s * s) - 1
        return cls(m * nu, (1 - m) * nu)

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
        return _special().betaincinv(self.alpha, self.beta, q)


@dataclass(frozen=True, slots=True, repr=False)
class Range90(Distribution):
    """Lognormal whose 5th and 95th percentiles are ``low`` and ``high``.

    ``mu = (ln low + ln high) / 2``, ``sigma = (ln high - ln low) / (2 * 1.6448536)``
    (the constant :data:`Z95` as written in the model contract). The central
    value is the median ``sqrt(low * high)``; the mean is ``exp(mu + sigma^2/2)``.

    Examples
    --------
    >>> Range90(1, 100).central()
    10.0
    >>> Range90(1, 100).ppf([0.05, 0.95]).round(4)
    array([  1., 100.])
    """

    low: float
    high: float

    def __post_init__(self) -> None:
        _normalise(self, "low", "high")
        if not 0 < self.low < self.high:
            raise ValueError(
                f"range90 needs 0 < low < high; found low={_fmt(self.low)}, high={_fmt(self.high)}"
            )

    @property
    def mu(self) -> float:
        """Mean of ``ln X``."""
        return (math.log(self.low) + math.log(self.high)) / 2

    @property
    def sigma(self) -> float:
        """Standard deviation of ``ln X``."""
        return (math.log(self.high) - math.log(self.low)) / (2 * Z95)

    def central(self) -> float:
        """The median ``sqrt(low * high)``."""
        return math.sqrt(self.low * self.high)

    def mean(self) -> float:
        """``exp(mu + sigma^2 / 2)``."""
        return math.exp(self.mu + self.sigma**2 / 2)

    def support(self) -> tuple[float, float]:
        """``(0, inf)``."""
        return (0.0, math.inf)

    def scaled(self, k: float) -> Range90:
        """``Range90(k * low, k * high)``."""
        k = _check_k(k)
        return Range90(k * self.low, k * self.high)

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.lognormal(self.mu, self.sigma, size)

    def _ppf(self, q: FloatArray) -> FloatArray:
        return np.exp(self.mu + self.sigma * _special().ndtri(q))
