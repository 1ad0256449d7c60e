"""The positive-definiteness check on a scenario's correlations, which runs in
pure Python so that validation does not import numpy.

Its answer must be numpy's: a matrix is refused exactly when its smallest
eigenvalue is below -1e-10.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sroi.scenario.correlations import (
    PURE_PYTHON_MAX_SIZE,
    copula_matrix,
    copula_rows,
    is_positive_semidefinite,
    pearson_from_rank,
    smallest_eigenvalue,
)

TOLERANCE = 1e-10


def _equicorrelated(n: int, rank: float) -> list[list[float]]:
    names = [f"v{i}" for i in range(n)]
    return copula_rows(names, {pair: rank for pair in itertools.combinations(names, 2)})


@pytest.mark.parametrize(
    ("rank", "valid"),
    [
        # Three values each pair with the same rank correlation r: the Pearson
        # matrix [[1, a, a], [a, 1, a], [a, a, 1]], a = 2 sin(pi r / 6), has
        # eigenvalues 1 + 2a and 1 - a (twice), so it is valid for a >= -1/2,
        # that is r >= (6 / pi) asin(-1/4) = -0.4826.
        # r = -0.45: a = 2 sin(-0.2356) = -0.4669, 1 + 2a = 0.066 (valid).
        (-0.45, True),
        # r = -0.50: a = 2 sin(-0.2618) = -0.5176, 1 + 2a = -0.035 (not).
        (-0.50, False),
        (-0.90, False),
        # r = 1: a = 1, eigenvalues 3, 0, 0: singular but valid.
        (1.0, True),
        (0.9, True),
    ],
)
def test_three_equal_correlations(rank: float, valid: bool) -> None:
    rows = _equicorrelated(3, rank)
    a = pearson_from_rank(rank)
    assert smallest_eigenvalue(rows) == pytest.approx(min(1 + 2 * a, 1 - a), abs=1e-12)
    assert is_positive_semidefinite(rows, TOLERANCE) is valid


def test_the_boundary_of_three_equal_correlations() -> None:
    # At a = -1/2 exactly the smallest eigenvalue is 0: valid.  Just past it,
    # by more than the tolerance, it is not.
    boundary = 6 / math.pi * math.asin(-0.25)
    assert is_positive_semidefinite(_equicorrelated(3, boundary + 1e-9), TOLERANCE)
    assert not is_positive_semidefinite(_equicorrelated(3, boundary - 1e-6), TOLERANCE)


@given(
    st.integers(min_value=1, max_value=7).flatmap(
        lambda n: st.lists(
            st.one_of(st.just(0.0), st.floats(-1, 1)),
            min_size=n * (n - 1) // 2,
            max_size=n * (n - 1) // 2,
        ).map(lambda ranks: (n, ranks))
    )
)
def test_agrees_with_numpys_eigenvalues(case: tuple[int, list[float]]) -> None:
    n, ranks = case
    names = [f"v{i}" for i in range(n)]
    rows = copula_rows(names, dict(zip(itertools.combinations(names, 2), ranks, strict=True)))
    low = float(np.linalg.eigvalsh(np.array(rows)).min())
    if abs(low + TOLERANCE) < 1e-12:
        return  # within rounding of the tolerance itself: either answer is right
    assert is_positive_semidefinite(rows, TOLERANCE) is (low >= -TOLERANCE)


def test_a_large_matrix_goes_to_numpy() -> None:
    n = PURE_PYTHON_MAX_SIZE + 10
    assert is_positive_semidefinite(_equicorrelated(n, 0.5), TOLERANCE)
    # n values pairwise a = 2 sin(-pi / 60) = -0.1047: 1 + (n - 1) a < 0 for n = 60.
    assert 1 + (n - 1) * pearson_from_rank(-0.1) < 0
    assert not is_positive_semidefinite(_equicorrelated(n, -0.1), TOLERANCE)


def test_copula_matrix_is_the_rows_as_an_array() -> None:
    names = ["a", "b", "c"]
    ranks = {("a", "b"): 0.5, ("c", "a"): -0.3}
    matrix = copula_matrix(names, ranks)
    expected = np.eye(3)
    expected[0, 1] = expected[1, 0] = pearson_from_rank(0.5)
    expected[0, 2] = expected[2, 0] = pearson_from_rank(-0.3)
    assert matrix.dtype == np.float64
    np.testing.assert_array_equal(matrix, expected)
    assert copula_matrix([], {}).shape == (0, 0)
