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
>>> import numpy as np
>>> rng = np.random.default_rng(1)
>>> d = Pert(1, 2, 6)
>>> d.central(), d.mean()
(2.0, 2.5)
>>> d.sample(rng, 4).shape
(4,)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sroi.distributions._base import Z95, Distribution
from sroi.distributions.bounded import Beta, Fixed, Pert, Triangular, Uniform
from sroi.distributions.normal import Normal
from sroi.distributions.positive import Gamma, LogNormal, Range90

if TYPE_CHECKING:
    from sroi.distributions._base import FloatArray


def __getattr__(name: str) -> Any:
    # ``FloatArray`` needs numpy, which validating scenarios never loads.
    if name == "FloatArray":
        from sroi.distributions import _base

        return _base.FloatArray
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Z95",  # standard normal 95th percentile as the contract writes it
    "Beta",
    "Distribution",
    "Fixed",
    "FloatArray",
    "Gamma",
    "LogNormal",
    "Normal",
    "Pert",
    "Range90",
    "Triangular",
    "Uniform",
]
