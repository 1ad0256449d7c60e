"""Money values and their price years.

Five kinds of value are money: an outcome's ``proxy``,
``costs.coordinator.salary``, each ``costs.lines.<id>.amount``, and
``volunteers.expenses_per_hour`` and ``volunteers.value_per_hour``.  Each may
carry its own ``price_year``; one without it is at the scenario's.  The engine
multiplies each by :func:`price_factors` to put every figure at the
scenario's ``price_year`` prices.
"""

from __future__ import annotations

from typing import Any

from sroi.prices import DEFLATOR_CURRENCY, financial_year, price_factor
from sroi.scenario.model import Scenario, scenario_values
from sroi.scenario.values import Value

#: Where money values sit, as key paths (``*``: any id).
MONEY_FIELDS: tuple[tuple[str, ...], ...] = (
    ("volunteers", "expenses_per_hour"),
    ("volunteers", "value_per_hour"),
    ("costs", "coordinator", "salary"),
    ("costs", "lines", "*", "amount"),
    ("outcomes", "*", "proxy"),
)


def relabel_refused(number: str, held: int, year: int) -> str:
    """Why a ``price_year`` given without its number over money held at
    ``held`` prices is refused: it would relabel the ``number`` (e.g.
    "gamma distribution"), not convert it.  Said alike for a file over its
    parent and for an override (a sweep's grid, :func:`sroi.with_values`)."""
    return (
        f"a price_year without its number would relabel the inherited {number} "
        f"(at {held} prices) as {year} prices; leave price_year out to keep it at "
        f"{held} prices (a file's own price_year converts the money it inherits), "
        f"or write the number too, e.g. {{value: ..., price_year: {year}}}"
    )


def currency_relabel_refused(held: str, currency: str, kept: list[str]) -> str:
    """Why a ``currency`` that differs from the inherited one is refused while
    ``kept`` (dotted paths) still hold inherited money: the numbers would be
    read in ``currency`` without being converted from ``held``."""
    shown = ", ".join(kept[:3]) + (f" and {len(kept) - 3} more" if len(kept) > 3 else "")
    values = "value" if len(kept) == 1 else "values"
    return (
        f"changing the currency from {held} to {currency} would relabel the inherited "
        f"money without converting it ({len(kept)} {held} {values}: {shown}); restate every "
        f"money value in {currency} in this file, or start from a base in {currency}"
    )


def is_money_path(path: tuple[Any, ...] | str) -> bool:
    """True when ``path`` (a key tuple or a dotted path) names a money value.

    >>> is_money_path("outcomes.gp_visits.proxy"), is_money_path("delivery.uptake")
    (True, False)
    """
    parts = tuple(path.split(".")) if isinstance(path, str) else path
    return any(
        len(parts) == len(pattern)
        and all(p == "*" or p == x for p, x in zip(pattern, parts, strict=True))
        for pattern in MONEY_FIELDS
    )


def money_values(scenario: Scenario) -> dict[str, Value]:
    """Every money value of ``scenario`` by dotted path, in file order."""
    return {p: v for p, v in scenario_values(scenario).items() if is_money_path(p)}


def value_price_year(scenario: Scenario, value: Value) -> int:
    """The price year a money value is written in: its own, else the scenario's."""
    return value.price_year if value.price_year is not None else scenario.price_year


def price_factors(scenario: Scenario) -> dict[str, float]:
    """For each money value by dotted path, the factor that puts it at the
    scenario's ``price_year`` prices [ratio]: index(scenario year) / index(value's year).

    >>> import sroi
    >>> s = sroi.load_scenario("tests/cases/hand_prices.yaml")
    >>> round(price_factors(s)["outcomes.health.proxy"], 10)  # 2013-14 money at 2011-12 prices
    0.9629267037
    """
    return {
        path: price_factor(value_price_year(scenario, value), scenario.price_year)
        for path, value in money_values(scenario).items()
    }


def converts(scenario: Scenario) -> bool:
    """True when ``scenario``'s money may be converted between price years: the
    deflator table measures :data:`~sroi.prices.DEFLATOR_CURRENCY` prices only."""
    return scenario.currency == DEFLATOR_CURRENCY


def unconverted_currency(currency: str, year: int, scenario_year: int) -> str:
    """Why money in ``currency`` at ``year`` prices cannot be put at
    ``scenario_year`` prices: the message for a scenario in another currency
    than the deflator's."""
    return (
        f"a {currency} scenario cannot convert money from {financial_year(year)} prices to "
        f"{financial_year(scenario_year)}: the deflator table measures UK prices in "
        f"{DEFLATOR_CURRENCY} (docs/methodology.md §4a). Give this value at "
        f"{financial_year(scenario_year)} prices, converted with a deflator for {currency}"
    )


def repricing_refused(scenario: Scenario, year: int) -> str | None:
    """Why ``scenario`` cannot be put at ``year`` prices (``--price-year``),
    or None when it can: money in another currency than the deflator
    table's is never converted (docs/methodology.md §4a)."""
    if year == scenario.price_year or converts(scenario):
        return None
    return (
        f"{scenario.currency} money cannot be put at {financial_year(year)} prices: the "
        f"deflator table measures UK prices in {DEFLATOR_CURRENCY} (docs/methodology.md §4a); "
        "leave out --price-year (price_year= in Python) to show this scenario at its own "
        f"{financial_year(scenario.price_year)} prices"
    )


def with_price_year(scenario: Scenario, year: int) -> Scenario:
    """``scenario`` with its results at ``year`` prices.

    Every money value keeps its own price year (a value without one gets the
    scenario's current year written on it), and the scenario's ``price_year``
    becomes ``year``, so the engine converts every figure to ``year`` prices.
    Raises ``ValueError`` when ``year`` is outside the deflator table, or
    differs from the scenario's own for money in another currency than
    :data:`~sroi.prices.DEFLATOR_CURRENCY`.
    """
    if year == scenario.price_year:
        return scenario
    refused = repricing_refused(scenario, year)
    if refused is not None:
        raise ValueError(f"{scenario.id}: {refused}")
    data = scenario.model_dump(exclude_defaults=True)
    for path in money_values(scenario):
        node: Any = data
        *head, last = path.split(".")
        for part in head:
            node = node[part]
        node[last].setdefault("price_year", scenario.price_year)
    data["price_year"] = year
    return Scenario.model_validate(data)


__all__ = [
    "MONEY_FIELDS",
    "converts",
    "currency_relabel_refused",
    "is_money_path",
    "money_values",
    "price_factors",
    "repricing_refused",
    "unconverted_currency",
    "value_price_year",
    "with_price_year",
]
