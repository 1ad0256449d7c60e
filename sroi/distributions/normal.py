"""The normal distribution, optionally truncated to [min, max]."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sroi.distributions._base import (
    _TINY_MASS,
    FAR_SDS,
    MAX_TRUNCATION_SDS,
    Distribution,
    _check_k,
    _fmt,
    _number,
    _positive,
    _power,
    _rounded,
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
    bounds far above the mean keep their precision. With the mean more than
    :data:`FAR_SDS` sd outside [min, max], draws and mean are measured from
    the nearer bound instead (:func:`_far_offsets`), so they keep their
    precision however far the mean is.

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
        if not self.is_truncated and not math.isfinite(abs(self.mean_) + 40 * self.sd):
            raise ValueError(
                f"normal needs mean and sd small enough for finite draws; "
                f"found mean={_fmt(self.mean_)}, sd={_fmt(self.sd)}"
            )
        if self.is_truncated:
            self._check_bounds()

    def _check_bounds(self) -> None:
        """Refuse bounds that the truncated distribution cannot be computed
        on: too many sds from the mean, or equal when measured in sds."""
        a, b = self._std_bounds()
        found = (
            f"found mean={_fmt(self.mean_)}, sd={_fmt(self.sd)}"
            + ("" if self.min is None else f", min={_fmt(self.min)}")
            + ("" if self.max is None else f", max={_fmt(self.max)}")
        )
        # How far the nearer bound lies from a mean outside [min, max] [sd].
        far = a if a > 0 else -b if b < 0 else 0.0
        if far > MAX_TRUNCATION_SDS:
            gap = self.min - self.mean_ if a > 0 else self.mean_ - self.max  # type: ignore[operator]
            least = gap / MAX_TRUNCATION_SDS
            raise ValueError(
                f"normal needs its mean within {_power(MAX_TRUNCATION_SDS)} sd of [min, max]: "
                f"with this mean, sd at least {_rounded(least, up=True)}, or a mean nearer "
                f"the bounds; {found}, {far:.3g} sd away"
            )
        if not a < b:
            raise ValueError(
                "normal needs min and max apart when measured in sd from the mean, "
                "(min - mean)/sd < (max - mean)/sd: a mean nearer [min, max] or an sd nearer "
                f"max - min; {found}, where both come to {a:.3g}"
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

    def _far(self) -> tuple[float, float, float, float] | None:
        """``(bound, direction, a, w)`` when the mean lies more than
        :data:`FAR_SDS` sd outside [min, max], else None: values are
        ``bound + direction * sd * t``, with ``t >= 0`` [sd] distributed as a
        standard normal truncated to [a, a + w] less ``a``.  ``w`` is
        ``(max - min) / sd``, not ``b - a``, which would cancel."""
        lo, hi = self.support()
        if self.min is not None and (self.min - self.mean_) / self.sd > FAR_SDS:
            return self.min, 1.0, (self.min - self.mean_) / self.sd, (hi - lo) / self.sd
        if self.max is not None and (self.mean_ - self.max) / self.sd > FAR_SDS:
            return self.max, -1.0, (self.mean_ - self.max) / self.sd, (hi - lo) / self.sd
        return None

    def mean(self) -> float:
        """Mean of the (truncated) distribution.

        ``mean + sd * (phi(a) - phi(b)) / (Phi(b) - Phi(a))`` with ``a``, ``b``
        the standardised bounds; measured from the nearer bound when the mean
        is far outside them (:func:`_far_mean_offset`).
        """
        if not self.is_truncated:
            return self.mean_
        lo, hi = self.support()
        far = self._far()
        if far is not None:
            bound, direction, a, w = far
            return min(max(bound + direction * self.sd * _far_mean_offset(a, w), lo), hi)
        a, b = self._std_bounds()
        mass = self._mass()
        if mass < _TINY_MASS:  # both bounds far in one tail
            z = _tail_mean(a, b) if a > 0 else -_tail_mean(-b, -a)
        else:
            z = (_std_normal_pdf(a) - _std_normal_pdf(b)) / mass
        # Rounding on a narrow [min, max] can leave the bounds, or give 0/0
        # where the density is flat across it (then the midpoint is the mean).
        z = min(max(z, a), b) if not math.isnan(z) else (a + b) / 2
        return min(max(self.mean_ + self.sd * z, lo), hi)

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
        far = self._far()
        if far is not None:
            bound, direction, a, w = far
            # Probability below the offset t, and above it: q and 1 - q for a
            # mean below min; swapped, as x falls while t grows, above max.
            p, c = (q, 1.0 - q) if direction > 0 else (1.0 - q, q)
            t = _far_offsets(a, w, p, c)
            return np.clip(bound + direction * self.sd * t, *self.support())
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
        # Rounding in mean + sd z can step just outside a narrow [min, max].
        return np.clip(self.mean_ + self.sd * np.clip(z, a, b), *self.support())


def _tail_mean(a: float, b: float) -> float:
    """Mean of a standard normal truncated to [a, b], 0 <= a < b <= inf, where
    the mass is too small for the direct formula.

    ``(phi(a) - phi(b)) / (Q(a) - Q(b))`` with ``Q(x) = erfcx(x/sqrt 2)
    exp(-x^2/2) / 2``; the common factor ``exp(-a^2/2)`` cancels, leaving
    ``sqrt(2/pi) (1 - D) / (erfcx(a/sqrt 2) - erfcx(b/sqrt 2) D)`` with
    ``D = exp(-(b - a)(b + a)/2)``.

    >>> round(_tail_mean(40.0, math.inf), 6)  # about a + 1/a - 2/a^3
    40.024969
    """
    erfcx = _special().erfcx
    root2 = math.sqrt(2.0)
    top = float(erfcx(a / root2))
    if math.isinf(b):
        return math.sqrt(2 / math.pi) / top
    exponent = (b - a) * (b + a) / 2
    d = math.exp(-exponent) if exponent < 745 else 0.0
    below = top - float(erfcx(b / root2)) * d
    if not below > 0:  # [a, b] too narrow to tell the ends apart: the density is flat
        return (a + b) / 2
    return math.sqrt(2 / math.pi) * -math.expm1(-exponent) / below


#: Terms of the continued fraction in :func:`_excess_hazard`: within 1e-16
#: (relative) for x >= 33, 2e-15 with 6 terms.
_FRACTION_TERMS = 12

#: Newton steps in :func:`_far_offsets`.  The start is within ``1/a^2`` (at
#: most 9e-4 at 34 sd) of the root, relatively, and each step squares that
#: and divides it by about ``2a``: two steps reach 1e-16, the third is spare.
_NEWTON_STEPS = 3

#: Gauss-Legendre nodes in :func:`_far_mean_offset` for an interval narrower
#: than ``1 / a`` sd, where the density varies by a factor e at most.
_GAUSS_NODES = 12


def _excess_hazard(x: FloatArray) -> FloatArray:
    """``h(x) - x`` [sd] for ``x >= FAR_SDS``, where ``h = phi / Q`` is the
    hazard of a standard normal (about ``1/x``).

    Laplace's continued fraction ``1 / (x + 2 / (x + 3 / (x + ...)))``: no
    subtraction, so relative precision where ``h(x) - x`` from ``erfcx``
    would lose ``x^2`` of it.  0 at ``x = inf``.
    """
    v = x
    for k in range(_FRACTION_TERMS, 1, -1):
        v = x + k / v
    return 1.0 / v


def _log_survival_drop(a: float, t: FloatArray) -> FloatArray:
    """``G(t) = -log(Q(a + t) / Q(a))`` for ``a >= FAR_SDS``, ``t >= 0`` [sd].

    ``t (a + t/2)`` plus the integral of ``h(x) - x`` over [a, a + t]; both
    are >= 0, so nothing cancels.  The integral is by Simpson's rule where
    ``a t <= 1`` (error below ``t^4 / (120 a^6)`` of ``G``), else
    ``log(h(a + t) / h(a))``, whose rounding is below 1e-16 of ``t`` there.
    """
    import numpy as np

    fa = _excess_hazard(np.asarray(a, dtype=np.float64))
    # Overflow gives G = inf, as it should; t = inf leaves NaN in the branch
    # not taken.
    with np.errstate(over="ignore", invalid="ignore"):
        ft = _excess_hazard(a + t)
        simpson = t / 6 * (fa + 4 * _excess_hazard(a + t / 2) + ft)
        ratio = np.log1p((t + (ft - fa)) / (a + fa))
        integral = np.where(a * t <= 1.0, simpson, ratio)
        return t * (a + t / 2) + integral


def _far_offsets(a: float, w: float, p: FloatArray, c: FloatArray) -> FloatArray:
    """Quantiles of ``t = z - a`` [sd], for ``z`` a standard normal truncated to
    [a, a + w] with ``a > FAR_SDS``, at probabilities ``p`` of a smaller
    ``t``; ``c`` is ``1 - p`` (each is read only where it is the exact one).

    Solves ``G(t) = E = -log(1 - p (1 - S))``, with ``S = exp(-G(w))``
    (:func:`_log_survival_drop`), by Newton's method: ``G`` is convex with
    ``G'(t) = h(a + t)``.  The start ``2E / (a + sqrt(a^2 + 2E))`` solves
    ``t (a + t/2) = E`` and so lies above the root; the steps fall to it.
    As ``a`` grows, ``t`` tends to an exponential with rate ``a``,
    ``t = E / a``.
    """
    import numpy as np

    g_w = float(_log_survival_drop(a, np.asarray(w, dtype=np.float64)))  # inf for w = inf
    with np.errstate(divide="ignore"):  # E = inf at the upper end
        e = np.where(
            p <= 0.5,
            -np.log1p(-p * -math.expm1(-g_w)),
            -np.log(c + p * math.exp(-g_w)),
        )
    top = e >= g_w  # the upper end, or rounding past it
    e = np.where(top, 0.0, e)
    t = 2 * e / (a + np.sqrt(a * a + 2 * e))
    for _ in range(_NEWTON_STEPS):
        t = t - (_log_survival_drop(a, t) - e) / (a + t + _excess_hazard(a + t))
    return np.where(top, w, np.clip(t, 0.0, w))


def _far_mean_offset(a: float, w: float) -> float:
    """Mean of ``t`` [sd] in :func:`_far_offsets`.

    ``(f(a) - S (f(a + w) + w)) / (1 - S)``, with ``f = h - x``
    (:func:`_excess_hazard`) and ``S = Q(a + w) / Q(a)``: the truncated
    mean less ``a``, divided through by ``phi(a)``.  Where ``a w < 1`` that
    difference cancels, and Gauss-Legendre quadrature of the density
    ``exp(-a t - t^2/2)`` over [0, w] is used instead.
    """
    import numpy as np

    if a * w < 1.0:
        nodes, weights = np.polynomial.legendre.leggauss(_GAUSS_NODES)
        t = w / 2 * (nodes + 1)
        density = weights * np.exp(-t * (a + t / 2))
        return float(np.sum(t * density) / np.sum(density))
    f_a = float(_excess_hazard(np.asarray(a, dtype=np.float64)))
    g_w = float(_log_survival_drop(a, np.asarray(w, dtype=np.float64)))
    s = math.exp(-g_w)
    if s == 0.0:  # w = inf, or no mass left near the far bound
        return f_a
    return (
        f_a - s * (float(_excess_hazard(np.asarray(a + w, dtype=np.float64))) + w)
    ) / -math.expm1(-g_w)
