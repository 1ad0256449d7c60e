"""Distributions of positive quantities: lognormal (by mean and sd, or by a 90% range) and gamma."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sroi.distributions._base import (
    SHAPE_RANGE,
    Z95,
    Distribution,
    _check_k,
    _fmt,
    _lognormal_params,
    _normalise,
    _number,
    _positive,
    _power,
    _rounded,
    _special,
)

if TYPE_CHECKING:
    import numpy as np

    from sroi.distributions._base import FloatArray


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
        # sigma^2 = ln(1 + (sd/mean)^2) must be finite and above 0.
        low, high = (math.sqrt(x) for x in SHAPE_RANGE)
        if not low <= self.sd / self.mean_ <= high:
            raise ValueError(
                f"lognormal needs sd/mean between {_power(low)} and {_power(high)}, so that "
                "sigma^2 = ln(1 + sd^2/mean^2) is a finite number above 0: with this mean, "
                f"sd {_sd_range(self.mean_ * low, self.mean_ * high)}; "
                f"found mean={_fmt(self.mean_)}, sd={_fmt(self.sd)}"
            )

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
        import numpy as np

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
        try:
            shape, scale = self.shape, self.scale
        except OverflowError:
            shape = scale = math.inf
        low, high = SHAPE_RANGE
        if not (low <= shape <= high and low <= scale <= high):
            # The shape is in range for sd/mean in [1e-150, 1e150], the scale for
            # sd^2/mean in [1e-300, 1e300] with sd^2 not below the smallest
            # normal float (it is worked out first).
            root, mean = math.sqrt(high), self.mean_
            least = max(mean / root, math.sqrt(mean) / root, math.sqrt(sys.float_info.min))
            most = min(mean * root, math.sqrt(mean) * root)
            raise ValueError(
                f"gamma needs its shape mean^2/sd^2 and scale sd^2/mean each between "
                f"{_power(low)} and {_power(high)}: with this mean, sd "
                f"{_sd_range(least, most)}; found mean={_fmt(mean)}, sd={_fmt(self.sd)}, "
                f"whose shape would be {_size(shape)} and scale {_size(scale)}"
            )

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
        found = f"found low={_fmt(self.low)}, high={_fmt(self.high)}"
        if not 0 < self.low < self.high:
            raise ValueError(f"range90 needs 0 < low < high; {found}")
        if not self.sigma > 0:
            raise ValueError(
                f"range90 needs ln(high) above ln(low); {found}, whose logarithms are equal "
                "(write a single number for a value that is not uncertain)"
            )
        try:
            self.mean()
        except OverflowError:
            raise ValueError(
                "range90 needs a finite mean exp(mu + sigma^2/2), so high/low cannot be as wide "
                f"as this: with this high, low at least {_rounded(_least_low(self.high), up=True)}"
                f"; {found}"
            ) from None

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
        import numpy as np

        return np.exp(self.mu + self.sigma * _special().ndtri(q))


def _sd_range(least: float, most: float) -> str:
    """``"between X and Y"``, or ``"at most Y"`` when every sd above 0 is
    above X: the sds that work, quoted in a message, rounded inwards."""
    if least == 0:
        return f"at most {_rounded(most, up=False)}"
    return f"between {_rounded(least, up=True)} and {_rounded(most, up=False)}"


def _size(x: float) -> str:
    """A derived parameter for a message: ``0`` and ``inf`` where it rounds to them."""
    return f"{x:.3g}" if 0 < x < math.inf else ("0 (too small)" if x == 0 else "infinite")


def _least_low(high: float) -> float:
    """The smallest ``low`` for which ``Range90(low, high)`` has a finite mean.

    With ``r = ln(high / low)``, ``mu = ln(high) - r/2`` and ``sigma^2/2 =
    r^2 / (8 Z95^2)``; the mean is finite while ``mu + sigma^2/2`` stays
    below ln(largest float) (709.78; 709 leaves room for rounding), the
    larger root of a quadratic in ``r``.
    """
    k = 8 * Z95 * Z95
    gap = math.log(high) - 709.0
    r = (0.5 + math.sqrt(0.25 - 4 * gap / k)) * k / 2
    return high * math.exp(-r)
