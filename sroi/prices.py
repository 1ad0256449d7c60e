"""Price years: re-express money from one financial year's prices in another's.

A money value written at the prices of financial year ``a`` (the year that
starts in April of ``a``) is worth, at the prices of year ``b``::

    value_b = value_a * index(b) / index(a)

where ``index`` is the HM Treasury GDP deflator below.  The factor is a
constant, so an uncertain value converts draw by draw and every quantile
moves with it.

Examples
--------
>>> round(price_factor(2013, 2011), 6)  # a 2013-14 figure at 2011-12 prices
0.962927
>>> price_factor(2011, 2011)
1.0
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Final

__all__ = [
    "DEFLATOR_CURRENCY",
    "FIRST_PRICE_YEAR",
    "GDP_DEFLATOR",
    "GDP_DEFLATOR_SOURCE",
    "LAST_PRICE_YEAR",
    "check_price_year",
    "covered_years",
    "financial_year",
    "price_factor",
]

#: GDP deflator at market prices by financial year, keyed by the calendar year
#: in which the financial year starts (2011 is FY 2011-12); 2024-25 = 100.
#: 2025-26 is a forecast.
GDP_DEFLATOR: Final = MappingProxyType(
    {
        2008: 66.8397,
        2009: 67.7042,
        2010: 68.8561,
        2011: 70.3261,
        2012: 71.5454,
        2013: 73.0337,
        2014: 74.0662,
        2015: 74.5804,
        2016: 76.0754,
        2017: 77.0388,
        2018: 78.7948,
        2019: 80.8738,
        2020: 85.1002,
        2021: 85.3036,
        2022: 91.2996,
        2023: 96.1117,
        2024: 100.0,
        2025: 103.2388,
    }
)

#: Where :data:`GDP_DEFLATOR` comes from.
GDP_DEFLATOR_SOURCE: Final = (
    "HM Treasury, GDP deflators at market prices and money GDP, financial years, "
    "2024-25 = 100 (March 2026 vintage; 2025-26 forecast)"
)

#: The currency whose prices :data:`GDP_DEFLATOR` measures: money in any other
#: currency is never converted with it.
DEFLATOR_CURRENCY: Final = "GBP"

#: First and last financial years in the table (the year each one starts).
FIRST_PRICE_YEAR: Final = min(GDP_DEFLATOR)
LAST_PRICE_YEAR: Final = max(GDP_DEFLATOR)


def _fy(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def covered_years() -> str:
    """The years the table covers, in words.

    >>> covered_years()
    '2008 to 2025 (financial years 2008-09 to 2025-26)'
    """
    first, last = FIRST_PRICE_YEAR, LAST_PRICE_YEAR
    return f"{first} to {last} (financial years {_fy(first)} to {_fy(last)})"


def check_price_year(year: int) -> int:
    """``year`` if the deflator table covers it; else ``ValueError`` naming the years covered."""
    if year not in GDP_DEFLATOR:
        raise ValueError(
            f"expected a price year covered by the GDP deflator table, {covered_years()}; "
            f"found {year!r}"
        )
    return year


def price_factor(from_year: int, to_year: int) -> float:
    """Multiply a money value at ``from_year`` prices by this to get ``to_year`` prices [ratio].

    Raises ``ValueError`` when either year is outside the table.
    """
    check_price_year(from_year)
    check_price_year(to_year)
    if from_year == to_year:
        return 1.0
    return GDP_DEFLATOR[to_year] / GDP_DEFLATOR[from_year]


def financial_year_start(text: str) -> str:
    """The calendar year a financial year written in full starts, as text:
    ``2025-26``, ``2025/26`` and ``2025-2026`` give ``"2025"``; any other text
    is returned stripped, to be read as a year.  A pair that is not one
    financial year (``2025-27``) is refused with ``ValueError``.  Both
    ``--price-year`` and ``sroi replicate --money-year`` (and the web page's
    years) read a year through this.

    >>> financial_year_start("2025-26"), financial_year_start(" 2025/2026 ")
    ('2025', '2025')
    >>> financial_year_start("2025-27")
    Traceback (most recent call last):
    ...
    ValueError: expected a financial year such as 2025-26; found '2025-27', not one year apart
    """
    raw = text.strip()
    fy = re.fullmatch(r"(\d{4})\s*[-/]\s*(\d{2}|\d{4})", raw)
    if fy is None:
        return raw
    start, end = fy[1], fy[2]
    if int(end) % 100 != (int(start) + 1) % 100 or (len(end) == 4 and int(end) != int(start) + 1):
        raise ValueError(
            f"expected a financial year such as {financial_year(int(start))}; "
            f"found {raw!r}, not one year apart"
        )
    return start


def financial_year(year: int) -> str:
    """The financial year starting in ``year``, as written in the UK.

    >>> financial_year(2024), financial_year(2099)
    ('2024-25', '2099-00')
    """
    return f"{year}-{(year + 1) % 100:02d}"
