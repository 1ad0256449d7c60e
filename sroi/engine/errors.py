"""Errors the engine raises about a scenario's results.

This module imports nothing, so the command line can recognise them without
loading numpy.
"""

from __future__ import annotations


class ResultError(ValueError):
    """A scenario's results are not finite numbers: some value in it is too
    extreme for floating-point arithmetic.  The message names the scenario,
    the result, where it happened (the base case or a draw) and, when it can,
    the outcome it came from."""


__all__ = ["ResultError"]
