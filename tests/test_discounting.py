"""Tests for sroi.engine.discounting.

Expected discount factors are written out from the band definitions
(Green Book: 3.5% for periods 1-30, 3.0% for 31-75, 2.5% for 76-125; health:
1.5%, 1.29%, 1.07%) as powers, independently of the cumulative product the
module uses.
"""

from __future__ import annotations

import numpy as np
import pytest

from sroi.engine.discounting import (
    GREEN_BOOK_BANDS,
    GREEN_BOOK_HEALTH_BANDS,
    annual_rates,
    discount_factors,
)

HORIZON = 77  # years 0..76
REL = 1e-12

# Green Book, convention "green_book": DF_y discounts over y periods.
GREEN_BOOK_BY_HAND = {
    0: 1.0,
    1: 1.035**-1,
    30: 1.035**-30,
    31: 1.035**-30 * 1.03**-1,
    75: 1.035**-30 * 1.03**-45,
    76: 1.035**-30 * 1.03**-45 * 1.025**-1,
}

# Green Book, convention "end_of_year": DF_y discounts over y + 1 periods.
GREEN_BOOK_END_OF_YEAR_BY_HAND = {
    0: 1.035**-1,
    1: 1.035**-2,
    30: 1.035**-30 * 1.03**-1,
    31: 1.035**-30 * 1.03**-2,
    75: 1.035**-30 * 1.03**-45 * 1.025**-1,
    76: 1.035**-30 * 1.03**-45 * 1.025**-2,
}

# Health schedule, convention "green_book".
HEALTH_BY_HAND = {
    0: 1.0,
    1: 1.015**-1,
    30: 1.015**-30,
    31: 1.015**-30 * 1.0129**-1,
    75: 1.015**-30 * 1.0129**-45,
    76: 1.015**-30 * 1.0129**-45 * 1.0107**-1,
}

# Health schedule, convention "end_of_year".
HEALTH_END_OF_YEAR_BY_HAND = {
    0: 1.015**-1,
    1: 1.015**-2,
    30: 1.015**-30 * 1.0129**-1,
    31: 1.015**-30 * 1.0129**-2,
    75: 1.015**-30 * 1.0129**-45 * 1.0107**-1,
    76: 1.015**-30 * 1.0129**-45 * 1.0107**-2,
}


@pytest.mark.parametrize(
    ("schedule", "convention", "expected"),
    [
        ("green_book", "green_book", GREEN_BOOK_BY_HAND),
        ("green_book", "end_of_year", GREEN_BOOK_END_OF_YEAR_BY_HAND),
        ("green_book_health", "green_book", HEALTH_BY_HAND),
        ("green_book_health", "end_of_year", HEALTH_END_OF_YEAR_BY_HAND),
    ],
)
def test_banded_schedules(schedule: str, convention: str, expected: dict[int, float]) -> None:
    df = discount_factors(HORIZON, schedule, convention)
    assert df.shape == (HORIZON,)
    for year, value in expected.items():
        assert df[year] == pytest.approx(value, rel=REL), f"year {year}"


def test_default_is_green_book_schedule_and_convention() -> None:
    np.testing.assert_array_equal(
        discount_factors(HORIZON), discount_factors(HORIZON, "green_book", "green_book")
    )


@pytest.mark.parametrize("convention", ["green_book", "end_of_year"])
def test_constant_schedule(convention: str) -> None:
    shift = 1 if convention == "end_of_year" else 0
    df = discount_factors(HORIZON, "constant", convention, rate=0.05)
    for year in (0, 1, 30, 31, 75, 76):
        assert df[year] == pytest.approx(1.05 ** -(year + shift), rel=REL)


@pytest.mark.parametrize("convention", ["green_book", "end_of_year"])
def test_constant_schedule_one_rate_per_draw(convention: str) -> None:
    shift = 1 if convention == "end_of_year" else 0
    rates = np.array([0.0, 0.035, 0.1])
    df = discount_factors(HORIZON, "constant", convention, rate=rates)
    assert df.shape == (3, HORIZON)
    years = np.arange(HORIZON)
    for i, r in enumerate(rates):
        np.testing.assert_allclose(df[i], (1 + r) ** -(years + shift), rtol=REL)


def test_annual_rates_at_band_edges() -> None:
    r = annual_rates("green_book", 302)  # r[i] is the rate for period s = i + 1
    expected = {1: 0.035, 30: 0.035, 31: 0.03, 75: 0.03, 76: 0.025, 125: 0.025}
    expected |= {126: 0.02, 200: 0.02, 201: 0.015, 300: 0.015, 301: 0.01, 302: 0.01}
    for s, rate in expected.items():
        assert r[s - 1] == rate, f"period {s}"
    health = annual_rates("green_book_health", 302)
    expected_health = {30: 0.015, 31: 0.0129, 76: 0.0107, 126: 0.0086, 201: 0.0064, 301: 0.0043}
    for s, rate in expected_health.items():
        assert health[s - 1] == rate, f"period {s}"


def test_band_constants() -> None:
    assert [end for end, _ in GREEN_BOOK_BANDS] == [30, 75, 125, 200, 300, np.inf]
    assert [end for end, _ in GREEN_BOOK_HEALTH_BANDS] == [end for end, _ in GREEN_BOOK_BANDS]


def test_annual_rates_constant_shapes() -> None:
    assert annual_rates("constant", 4, rate=0.02).shape == (4,)
    assert annual_rates("constant", 4, rate=np.array([0.01, 0.02])).shape == (2, 4)
    assert annual_rates("green_book", 0).shape == (0,)


def test_empty_horizon() -> None:
    assert discount_factors(0).shape == (0,)
    assert discount_factors(0, convention="end_of_year").shape == (0,)
    assert discount_factors(0, "constant", rate=[0.01, 0.02]).shape == (2, 0)
    np.testing.assert_array_equal(discount_factors(1), [1.0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"schedule": "treasury"}, "schedule must be one of"),
        ({"convention": "mid_year"}, "convention must be one of"),
        ({"schedule": "constant"}, "needs a rate"),
        ({"schedule": "green_book", "rate": 0.03}, "only used with the constant schedule"),
        ({"schedule": "constant", "rate": -1.0}, "above -1"),
        ({"schedule": "constant", "rate": float("nan")}, "finite"),
        ({"schedule": "constant", "rate": np.zeros((2, 2))}, "one per draw"),
        ({"horizon": -1}, "whole number"),
    ],
)
def test_errors(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"horizon": 5, **kwargs}
    with pytest.raises(ValueError, match=message):
        discount_factors(**args)  # type: ignore[arg-type]
