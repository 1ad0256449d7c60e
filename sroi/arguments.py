"""Checks of the numbers the Python API takes (``sroi.run``, ``compare``,
``voi``, ``sobol``, ...): each names its argument and what it expected,
instead of failing deep inside or silently rounding (a seed of 2.5 read as
2, ``True`` read as 1 draw).  The command line checks its own options
before these are reached."""

from __future__ import annotations

import math
import numbers


def whole(name: str, value: object, minimum: int = 0) -> int:
    """``value`` as an int: a whole number >= ``minimum``, else ``ValueError``.

    A Python or numpy integer, or a float with a whole value (``1e4``, as
    the command line reads ``--draws 1e4``); not a bool, and not a float
    with a fraction, which would have to be rounded.

    >>> whole("draws", 10, 1), whole("draws", 1e4, 1)
    (10, 10000)
    >>> whole("seed", 2.5)
    Traceback (most recent call last):
    ...
    ValueError: seed must be a whole number >= 0; found 2.5
    """
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, numbers.Integral)):
        number = float(value)
        if number.is_integer():
            value = int(number)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}; found {value!r}")
    return int(value)


def finite(name: str, value: object) -> float:
    """``value`` as a float: a finite real number (not a bool), else
    ``ValueError``.

    >>> finite("band", 0.2)
    0.2
    >>> finite("value", float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: value must be a finite number; found nan
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(float(value))
    ):
        raise ValueError(f"{name} must be a finite number; found {value!r}")
    return float(value)


def flag(name: str, value: object) -> bool:
    """``value`` as a bool: ``True`` or ``False`` (or a numpy bool), else
    ``ValueError``; a string such as ``"no"`` is not read as true.

    >>> flag("keep_outcomes", True)
    True
    >>> flag("keep_outcomes", "no")
    Traceback (most recent call last):
    ...
    ValueError: keep_outcomes must be True or False; found 'no'
    """
    if isinstance(value, bool) or type(value).__name__ == "bool_":  # numpy's bool
        return bool(value)
    raise ValueError(f"{name} must be True or False; found {value!r:.60}")


def function_or_none(name: str, value: object) -> None:
    """``ValueError`` unless ``value`` is None or can be called.

    >>> function_or_none("progress", 1)
    Traceback (most recent call last):
    ...
    ValueError: progress must be a function (or None); found int 1
    """
    if value is not None and not callable(value):
        raise ValueError(
            f"{name} must be a function (or None); found {type(value).__name__} {value!r:.60}"
        )
