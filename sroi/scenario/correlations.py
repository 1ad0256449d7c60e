"""The correlation matrix a scenario's ``correlations`` imply.

Rank (Spearman) correlations are turned into the Pearson correlations of a
Gaussian copula with rho_pearson = 2 sin(pi * rho_rank / 6), which makes the
copula's rank correlation equal the target exactly for normal margins.
"""

from __future__ import annotations

import math

import numpy as np


def pearson_from_rank(rank: float) -> float:
    """Pearson correlation of a Gaussian copula with Spearman correlation ``rank``.

    >>> round(pearson_from_rank(0.5), 6)
    0.517638
    >>> pearson_from_rank(1.0)
    1.0
    """
    return 2.0 * math.sin(math.pi * rank / 6.0)


def copula_matrix(names: list[str], ranks: dict[tuple[str, str], float]) -> np.ndarray:
    """Pearson correlation matrix for ``names`` from pairwise rank correlations.

    ``ranks`` is keyed by name pairs in either order; pairs not given are 0.
    """
    index = {n: i for i, n in enumerate(names)}
    m = np.eye(len(names))
    for (a, b), r in ranks.items():
        i, j = index[a], index[b]
        m[i, j] = m[j, i] = pearson_from_rank(r)
    return m


def smallest_eigenvalue(matrix: np.ndarray) -> float:
    """Smallest eigenvalue of a symmetric matrix (negative: not a valid correlation)."""
    return float(np.linalg.eigvalsh(matrix).min())
