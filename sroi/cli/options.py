"""Argument types and options shared by subcommands (light: argparse only)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from sroi.limits import FEW_DRAWS, MAX_DRAWS

#: Help text of a PATH argument.
PATH_HELP = (
    "scenario file or folder (every *.yaml below it, except files starting with _ "
    "and sweep grids and designs files)"
)


def whole_number(minimum: int = 0, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number >= ``minimum`` (and <= ``maximum``),
    written as digits or in scientific notation with a whole value (``1e6``).

    >>> whole_number(1)("3"), whole_number(1)("1e6"), whole_number(1)("2.5e3")
    (3, 1000000, 2500)
    """

    def parse(text: str) -> int:
        try:
            value = _whole(text)
        except ValueError:
            from sroi.replication.answers import number_hint

            raise argparse.ArgumentTypeError(
                f"expected a whole number; found {text!r}{number_hint(text)}"
            ) from None
        except OverflowError:
            most = f"<= {maximum:,}" if maximum is not None else f"of at most {_MOST_DIGITS} digits"
            raise argparse.ArgumentTypeError(f"expected a number {most}; found {text}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a number >= {minimum}; found {value}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"expected a number <= {maximum:,}; found {value:,}")
        return value

    parse.__name__ = "whole number"
    return parse


def _whole(text: str) -> int:
    """``text`` as a whole number: digits, or scientific notation with a
    whole value, read exactly (``1e23`` is 10^23); ValueError otherwise
    (``1.5``, ``nan``), OverflowError beyond :data:`_MOST_DIGITS` digits
    however written (the web page takes seeds of as many digits)."""
    try:
        value = int(text)
    except ValueError:
        if "e" not in text.lower():
            raise
    else:
        if len(str(abs(value))) > _MOST_DIGITS:
            raise OverflowError(text)
        return value
    from decimal import Decimal, InvalidOperation  # only for such numbers

    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(text)
    if number.adjusted() >= _MOST_DIGITS:
        raise OverflowError(text)
    return int(number)


#: Most digits a whole number written in scientific notation may have.
_MOST_DIGITS = 30


def add_paths(p: Any) -> None:
    """PATH... positional arguments, and ``--allow-extends``."""
    p.add_argument("paths", nargs="+", metavar="PATH", help=PATH_HELP)
    add_allow_extends(p)


def existing_folder(text: str) -> str:
    """An argparse type: the name of a folder that exists.

    >>> existing_folder(".")
    '.'
    """
    import os

    if not os.path.isdir(text):
        what = "is a file" if os.path.exists(text) else "does not exist"
        raise argparse.ArgumentTypeError(f"expected a folder; {text!r} {what}")
    return text


existing_folder.__name__ = "folder"


def add_allow_extends(p: Any) -> None:
    """``--allow-extends FOLDER`` (repeatable)."""
    p.add_argument(
        "--allow-extends",
        action="append",
        default=[],
        type=existing_folder,
        metavar="FOLDER",
        help="let `extends` read scenario files in FOLDER too (repeatable); by default only "
        "files below the folder above the scenario's own, the working folder and the "
        "bundled scenarios (see docs/security.md)",
    )


def add_follow_symlinks(p: Any) -> None:
    """``--follow-symlinks``: write an output through a symbolic link."""
    p.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="when an output path is a symbolic link, write to the file it points to "
        "(by default a link is refused)",
    )


def add_draws(p: Any, minimum: int = 0, default: int | None = 10_000) -> None:
    """``--draws N``."""
    zero = "; 0: base case only" if minimum == 0 else ""
    p.add_argument(
        "--draws",
        type=whole_number(minimum, MAX_DRAWS),
        default=default,
        metavar="N",
        help=f"Monte Carlo draws, at most {MAX_DRAWS:,} (default {default}{zero})",
    )


def few_draws_warning(draws: int | None) -> str | None:
    """The warning for a run of fewer than :data:`~sroi.limits.FEW_DRAWS`
    draws (but not 0, the base case alone), or None.

    >>> few_draws_warning(10_000) is None, few_draws_warning(0) is None
    (True, True)
    >>> print(few_draws_warning(5))  # doctest: +ELLIPSIS
    --draws 5 is fewer than 1,000: ...
    """
    if not draws or draws >= FEW_DRAWS:
        return None
    return (
        f"--draws {draws:,} is fewer than {FEW_DRAWS:,}: percentiles (p5, p95) and chances "
        "(P(> 1)) from so few draws are too rough to report (see docs/methodology.md §12); "
        "use the default 10,000, or --draws 0 for the base case alone"
    )


def add_seed(p: Any, default: int | None = 0, help: str | None = None) -> None:
    """``--seed S``."""
    p.add_argument(
        "--seed",
        type=whole_number(0),
        default=default,
        metavar="S",
        help=help or "random seed; fixes every number (default 0)",
    )


def add_sampler(p: Any) -> None:
    """``--sampler random|sobol|lhs``."""
    p.add_argument(
        "--sampler",
        choices=("random", "sobol", "lhs"),
        default="random",
        help="how the draws are made: random (pseudo-random streams, the default), sobol "
        "(scrambled Sobol' points: the mean settles with fewer draws; give a multiple of "
        "8,192 draws) or lhs (Latin hypercube per batch of 1,024 draws); see "
        "docs/performance.md",
    )


def add_workers(p: Any) -> None:
    """``--workers K``."""
    p.add_argument(
        "--workers",
        type=whole_number(1),
        default=1,
        metavar="K",
        help="worker processes (default 1); results do not depend on it",
    )


def price_year_type(text: str) -> int:
    """An argparse type: a price year covered by the GDP deflator table, the
    calendar year its financial year starts, written alone or as the
    financial year (``2019-20``, ``2019/20``), as ``sroi replicate
    --money-year`` reads it (:func:`sroi.prices.financial_year_start`).

    >>> price_year_type("2019"), price_year_type("2019-20"), price_year_type("2019/2020")
    (2019, 2019, 2019)
    """
    from sroi.prices import check_price_year, financial_year_start

    try:
        start = financial_year_start(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    try:
        year = int(start)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a year such as 2019 or 2019-20 (the financial year starting in 2019); "
            f"found {text!r}"
        ) from None
    try:
        return check_price_year(year)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_price_year(p: Any) -> None:
    """``--price-year Y``."""
    p.add_argument(
        "--price-year",
        type=price_year_type,
        default=None,
        metavar="Y",
        help="re-express every money result at the prices of financial year Y (2019 or "
        "2019-20 for FY 2019-20) with the GDP deflator; lets scenarios at different price "
        "years run together (default: each scenario's own price_year)",
    )


def add_perspective(p: Any) -> None:
    """``--perspective P``: whose value and which cost the headline counts."""
    from sroi.vocabulary import PERSPECTIVES

    p.add_argument(
        "--perspective",
        choices=list(PERSPECTIVES),
        default="society",
        metavar="P",
        help="whose value and which cost count: "
        + "; ".join(f"{k} ({v.definition})" for k, v in PERSPECTIVES.items())
        + " (default society; see docs/decisions-by-perspective.md)",
    )
