"""Discount rates and discount factors.

The schedules are the HM Treasury Green Book declining long-term rates and
the lower rates it gives for health effects, kept here as named constants,
plus a constant rate chosen by the scenario.

Discount factors are built as a cumulative product of ``1 / (1 + r_s)``::

    DF_y = prod_{s=1..y} 1 / (1 + r_s),  DF_0 = 1      (convention "green_book")
    DF_y = prod_{s=1..y+1} 1 / (1 + r_s)               (convention "end_of_year")

so year ``y`` is discounted over ``y`` periods (the Green Book's undiscounted
year 0) or over ``y + 1`` periods (every flow at the end of its year).

Examples
--------
>>> discount_factors(3).round(6)
array([1.      , 0.966184, 0.933511])
>>> discount_factors(2, convention="end_of_year").round(6)
array([0.966184, 0.933511])
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import numpy.typing as npt

from sroi.arguments import whole

__all__ = [
    "CONVENTIONS",
    "GREEN_BOOK_BANDS",
    "GREEN_BOOK_HEALTH_BANDS",
    "SCHEDULES",
    "annual_rates",
    "discount_factors",
]

FloatArray = npt.NDArray[np.float64]

#: Green Book declining long-term discount rates, as ``(last year of band, rate)``:
#: 3.5% for years 1-30, 3.0% for 31-75, 2.5% for 76-125, 2.0% for 126-200,
#: 1.5% for 201-300 and 1.0% after. Source: HM Treasury (2022), *The Green
#: Book: Central Government Guidance on Appraisal and Evaluation*, Annex A6
#: "Discounting" (long-term discount rates).
GREEN_BOOK_BANDS: Final[tuple[tuple[float, float], ...]] = (
    (30, 0.035),
    (75, 0.030),
    (125, 0.025),
    (200, 0.020),
    (300, 0.015),
    (math.inf, 0.010),
)

#: Green Book rates for health effects valued in QALYs or similar (the wealth
#: effect removed), on the same bands: 1.5%, 1.29%, 1.07%, 0.86%, 0.64%, 0.43%.
#: Source: HM Treasury (2022), *The Green Book*, Annex A6 "Discounting"
#: (discounting health effects).
GREEN_BOOK_HEALTH_BANDS: Final[tuple[tuple[float, float], ...]] = (
    (30, 0.0150),
    (75, 0.0129),
    (125, 0.0107),
    (200, 0.0086),
    (300, 0.0064),
    (math.inf, 0.0043),
)

#: Schedule names accepted by :func:`annual_rates` and :func:`discount_factors`.
SCHEDULES: Final[tuple[str, ...]] = ("green_book", "green_book_health", "constant")

#: Timing conventions accepted by :func:`discount_factors`.
CONVENTIONS: Final[tuple[str, ...]] = ("green_book", "end_of_year")

_BANDS: Final[dict[str, tuple[tuple[float, float], ...]]] = {
    "green_book": GREEN_BOOK_BANDS,
    "green_book_health": GREEN_BOOK_HEALTH_BANDS,
}


def annual_rates(
    schedule: str, periods: int, rate: float | npt.ArrayLike | None = None
) -> FloatArray:
    """Discount rate ``r_s`` for each period ``s = 1 .. periods``.

    Parameters
    ----------
    schedule : {"green_book", "green_book_health", "constant"}
        Which rates to use; see :data:`GREEN_BOOK_BANDS` and
        :data:`GREEN_BOOK_HEALTH_BANDS`.
    periods : int
        Number of periods, >= 0.
    rate : float or array_like of shape (n,), optional
        The rate per period [fraction per year, e.g. 0.035] for the
        ``constant`` schedule, either one value or one per Monte Carlo draw.
        Required for ``constant`` and not allowed otherwise.

    Returns
    -------
    numpy.ndarray
        Rates [fraction per year], shape ``(periods,)``, or ``(n, periods)``
        when ``rate`` is an array of ``n`` draws.

    Examples
    --------
    >>> annual_rates("green_book", 32)[[0, 29, 30, 31]]
    array([0.035, 0.035, 0.03 , 0.03 ])
    >>> annual_rates("constant", 2, rate=[0.01, 0.02])
    array([[0.01, 0.01],
           [0.02, 0.02]])
    """
    periods = whole("periods", periods, 0)
    if schedule == "constant":
        if rate is None:
            raise ValueError("the constant schedule needs a rate; found none")
        r = np.asarray(rate, dtype=np.float64)
        if r.ndim > 1:
            raise ValueError(f"rate must be one value or one per draw; found shape {r.shape}")
        if not np.all(np.isfinite(r) & (r > -1.0)):
            raise ValueError(f"discount rate must be finite and above -1; found rate={rate!r}")
        if r.ndim == 0:
            return np.full(periods, float(r), dtype=np.float64)
        return np.repeat(r[:, np.newaxis], periods, axis=1)
    if schedule not in _BANDS:
        raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}; found {schedule!r}")
    if rate is not None:
        raise ValueError(
            f"rate is only used with the constant schedule; found schedule={schedule!r}"
        )
    bands = _BANDS[schedule]
    ends = np.array([end for end, _ in bands], dtype=np.float64)
    values = np.array([r for _, r in bands], dtype=np.float64)
    s = np.arange(1, periods + 1, dtype=np.float64)
    # Band i covers ends[i-1] < s <= ends[i].
    return values[np.searchsorted(ends, s, side="left")]


def discount_factors(
    horizon: int,
    schedule: str = "green_book",
    convention: str = "green_book",
    rate: float | npt.ArrayLike | None = None,
) -> FloatArray:
    """Discount factor ``DF_y`` for each year ``y = 0 .. horizon - 1``.

    Computed as the cumulative product of ``1 / (1 + r_s)`` over the rates from
    :func:`annual_rates`.

    Parameters
    ----------
    horizon : int
        Number of years, >= 0.
    schedule : {"green_book", "green_book_health", "constant"}
        Which rates to use.
    convention : {"green_book", "end_of_year"}
        ``green_book``: year 0 undiscounted, ``DF_y = prod_{s=1..y}``.
        ``end_of_year``: every year shifted one period, ``DF_y = prod_{s=1..y+1}``.
    rate : float or array_like of shape (n,), optional
        Rate [fraction per year] for the ``constant`` schedule, one value or
        one per draw.

    Returns
    -------
    numpy.ndarray
        Dimensionless factors, shape ``(horizon,)``, or ``(n, horizon)`` when
        ``rate`` is an array of ``n`` draws.

    Examples
    --------
    >>> discount_factors(3, "constant", rate=0.1).round(6)
    array([1.      , 0.909091, 0.826446])
    >>> discount_factors(2, "constant", rate=[0.0, 0.1]).round(6)
    array([[1.      , 1.      ],
           [1.      , 0.909091]])
    """
    horizon = whole("horizon", horizon, 0)
    if convention not in CONVENTIONS:
        raise ValueError(
            f"convention must be one of {', '.join(CONVENTIONS)}; found {convention!r}"
        )
    shift = 1 if convention == "end_of_year" else 0
    periods = max(horizon - 1 + shift, 0)
    r = annual_rates(schedule, periods, rate)
    factors: FloatArray = np.cumprod(1.0 / (1.0 + r), axis=-1, dtype=np.float64)
    if shift == 0 and horizon > 0:
        ones = np.ones((*r.shape[:-1], 1), dtype=np.float64)
        factors = np.concatenate([ones, factors], axis=-1)
    return factors
