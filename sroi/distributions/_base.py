"""The common interface of every distribution, and shared parameter checks."""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod
from dataclasses import fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]


def __getattr__(name: str) -> Any:
    # numpy is imported on first use, so validating scenarios never loads it.
    if name == "FloatArray":
        import numpy as np
        import numpy.typing as npt

        return npt.NDArray[np.float64]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Standard normal 95th percentile as written in the model contract (range90).
Z95 = 1.6448536


def _special() -> Any:
    """scipy.special, imported on first use: validation never needs it."""
    from scipy import special

    return special


#: Largest shape parameter of a beta distribution.  Its inverse CDF
#: (``scipy.special.betaincinv``) returns NaN for some pairs of shapes above
#: about 1e16; a beta that certain is a fixed number in all but name.
BETA_MAX_SHAPE = 1e15

#: Smallest and largest shape and scale of a gamma, and the square of the
#: smallest and largest sd/mean of a lognormal.  Inside them every quantile
#: and draw is a finite number; outside, the shape or scale rounds to 0 or
#: infinity, or the quantile function returns NaN (a gamma's below 1e-308).
SHAPE_RANGE = (1e-300, 1e300)

#: Farthest a truncated normal's bounds may lie from its mean, when the mean
#: is outside them [sd]: beyond, the square of the distance overflows.
MAX_TRUNCATION_SDS = 1e150

#: Farthest a truncated normal's mean may lie outside [min, max] and still be
#: drawn as ``mean + sd * z`` [sd].  With the mean ``a`` sd outside, that sum
#: rounds at about ``a * 1.1e-16`` sd while the values spread over about
#: ``1 / a`` sd: an error of ``a^2 * 1.1e-16`` of the spread, 1.3e-13 at 34 sd
#: but 1e-4 at 1e6 sd, and one value for all draws beyond about 1e8 sd.
#: Farther out, values are measured from the nearer bound.  34 sd is just past
#: where [min, max] holds 1e-250 of the normal (33.8 sd, ``_TINY_MASS``), so
#: every draw made through ``ndtri`` before is unchanged, bit for bit.
FAR_SDS = 34.0

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
    if type(x) is float:  # the usual case, without the slower ABC check below
        value = x
    elif isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise ValueError(f"{name} must be a number; found {name}={x!r}")
    else:
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
    if not math.isfinite(high - low):
        raise ValueError(
            f"high - low must be a finite number, for finite draws; "
            f"found low={_fmt(low)}, high={_fmt(high)}"
        )


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


def _power(x: float) -> str:
    """A power of ten as written in messages and docs: ``1e15``, ``1e-300``.

    >>> _power(1e15), _power(1e-300)
    ('1e15', '1e-300')
    """
    return f"{x:.0e}".replace("e+", "e").replace("e0", "e").replace("e-0", "e-")


def _rounded(x: float, up: bool) -> str:
    """``x`` to two significant figures, rounded up or down: a bound quoted in
    an error message that the quoted number itself meets.

    >>> _rounded(3.14159e-155, up=True), _rounded(3.14159e-155, up=False)
    ('3.2e-155', '3.1e-155')
    """
    from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

    if not (math.isfinite(x) and x > 0):
        return _fmt(x)
    near = float(f"{x:.2g}")
    if (near < x and up) or (near > x and not up):
        exact = Decimal(x)
        unit = Decimal(1).scaleb(exact.adjusted() - 1)
        near = float(exact.quantize(unit, rounding=ROUND_CEILING if up else ROUND_FLOOR))
    return _fmt(near) if 1e-4 <= near < 1e6 else f"{near:.2g}"


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
        >>> import numpy as np
        >>> from sroi.distributions import Uniform
        >>> Uniform(0, 10).sample(np.random.default_rng(0), 3).round(3)
        array([6.37 , 2.698, 0.41 ])
        """
        if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 0:
            raise ValueError(f"size must be a whole number >= 0; found size={size!r}")
        import numpy as np

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
        >>> from sroi.distributions import Uniform
        >>> Uniform(0, 10).ppf([0.0, 0.25, 1.0])
        array([ 0. ,  2.5, 10. ])
        """
        import numpy as np

        arr = np.asarray(q, dtype=np.float64)
        if not np.all((arr >= 0.0) & (arr <= 1.0)):
            raise ValueError("ppf needs probabilities in [0, 1]; found values outside [0, 1]")
        return np.asarray(self._ppf(arr), dtype=np.float64)


# --------------------------------------------------------------------------- classes
