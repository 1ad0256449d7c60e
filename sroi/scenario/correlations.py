"""The correlation matrix a scenario's ``correlations`` imply.

Rank (Spearman) correlations are turned into the Pearson correlations of a
Gaussian copula with rho_pearson = 2 sin(pi * rho_rank / 6), which makes the
copula's rank correlation equal the target exactly for normal margins.

Validation asks only whether the matrix is a valid correlation matrix; it
answers that without numpy for the small matrices scenarios hold
(:func:`is_positive_semidefinite`), so checking a scenario does not pay for
importing numpy.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: Largest matrix :func:`is_positive_semidefinite` factorises in pure Python
#: [rows]; about 20,000 multiplications, well under a millisecond's worth of
#: numpy import.  Larger ones go to numpy.
PURE_PYTHON_MAX_SIZE = 50


def pearson_from_rank(rank: float) -> float:
    """Pearson correlation of a Gaussian copula with Spearman correlation ``rank``.

    >>> round(pearson_from_rank(0.5), 6)
    0.517638
    >>> pearson_from_rank(1.0)
    1.0
    """
    return 2.0 * math.sin(math.pi * rank / 6.0)


def copula_rows(names: list[str], ranks: dict[tuple[str, str], float]) -> list[list[float]]:
    """Pearson correlation matrix for ``names`` from pairwise rank correlations,
    as a list of rows.

    ``ranks`` is keyed by name pairs in either order; pairs not given are 0.

    >>> copula_rows(["a", "b"], {("b", "a"): 1.0})
    [[1.0, 1.0], [1.0, 1.0]]
    """
    index = {n: i for i, n in enumerate(names)}
    rows = [[1.0 if i == j else 0.0 for j in range(len(names))] for i in range(len(names))]
    for (a, b), r in ranks.items():
        i, j = index[a], index[b]
        rows[i][j] = rows[j][i] = pearson_from_rank(r)
    return rows


def copula_matrix(names: list[str], ranks: dict[tuple[str, str], float]) -> np.ndarray:
    """Pearson correlation matrix for ``names`` from pairwise rank correlations.

    ``ranks`` is keyed by name pairs in either order; pairs not given are 0.
    """
    import numpy as np

    return np.array(copula_rows(names, ranks), dtype=np.float64).reshape(len(names), len(names))


def smallest_eigenvalue(matrix: np.ndarray | list[list[float]]) -> float:
    """Smallest eigenvalue of a symmetric matrix (negative: not a valid correlation)."""
    import numpy as np

    return float(np.linalg.eigvalsh(np.asarray(matrix, dtype=np.float64)).min())


def is_positive_semidefinite(rows: list[list[float]], tolerance: float = 1e-10) -> bool:
    """Whether the symmetric matrix ``rows`` has no eigenvalue below ``-tolerance``.

    Decided by a Cholesky factorisation of ``rows + tolerance * I``, which
    exists exactly when every eigenvalue of ``rows`` exceeds ``-tolerance``; its
    rounding error (about ``n * 1e-16`` for a correlation matrix of ``n`` rows)
    is far below the tolerance.  Matrices larger than
    :data:`PURE_PYTHON_MAX_SIZE` are decided by numpy's eigenvalues.

    >>> is_positive_semidefinite([[1.0, 0.9], [0.9, 1.0]])
    True
    >>> # a with b, b with c, but a against c: no such three values exist
    >>> is_positive_semidefinite([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])
    False
    >>> is_positive_semidefinite([[1.0, 1.0], [1.0, 1.0]])  # eigenvalues 0 and 2
    True
    """
    n = len(rows)
    if n > PURE_PYTHON_MAX_SIZE:
        return smallest_eigenvalue(rows) >= -tolerance
    lower: list[list[float]] = []
    for i in range(n):
        row = [0.0] * (i + 1)
        for j in range(i):
            done = math.fsum(row[k] * lower[j][k] for k in range(j))
            row[j] = (rows[i][j] - done) / lower[j][j]
        pivot = rows[i][i] + tolerance - math.fsum(x * x for x in row[:i])
        if not pivot > 0.0:  # also refuses NaN
            return False
        row[i] = math.sqrt(pivot)
        lower.append(row)
    return True
