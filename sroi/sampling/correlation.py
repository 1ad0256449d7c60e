"""Rank correlation through a Gaussian copula.

Correlated values are drawn as standard normals ``z`` from their own streams,
mixed with a lower-triangular factor ``L`` of the copula's correlation matrix
(``x = L z``), and mapped to each value's margin with ``ppf(Phi(x))``.  The
margins are exact; the achieved Spearman correlation equals the target
because the copula's Pearson correlations are 2 sin(pi rho / 6).

The mixing is written as explicit sums, not a matrix product, so each draw's
numbers do not depend on how many draws are mixed at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from sroi.scenario.correlations import copula_matrix
from sroi.scenario.model import Scenario

_TINY = float(np.finfo(float).tiny)
_EPS = float(np.finfo(float).epsneg)


@dataclass(frozen=True)
class CopulaGroup:
    """Values correlated with each other, and the factor that mixes them.

    paths : tuple of str
        Dotted paths, shared values first (so a shared value's draws do not
        depend on scenario-specific values), then by name.
    factor : numpy.ndarray
        Lower-triangular ``L`` with ``L @ L.T`` the copula correlation matrix.
    """

    paths: tuple[str, ...]
    factor: np.ndarray

    def mix(self, normals: list[np.ndarray]) -> list[np.ndarray]:
        """Correlated uniforms ``Phi(L z)`` from independent normals ``z``."""
        out = []
        for i in range(len(self.paths)):
            x = self.factor[i, 0] * normals[0]
            for j in range(1, i + 1):
                x = x + self.factor[i, j] * normals[j]
            # Keep u inside (0, 1) so unbounded margins stay finite.
            out.append(np.clip(ndtr(x), _TINY, 1.0 - _EPS))
        return out


def copula_groups(scenario: Scenario, shared: set[str]) -> list[CopulaGroup]:
    """Connected groups of correlated values in ``scenario``."""
    ranks: dict[tuple[str, str], float] = {}
    neighbours: dict[str, set[str]] = {}
    for c in scenario.correlations:
        a, b = c.between
        ranks[(a, b)] = c.rank
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    groups = []
    seen: set[str] = set()
    for start in sorted(neighbours):
        if start in seen:
            continue
        members, todo = set(), [start]
        while todo:
            p = todo.pop()
            if p not in members:
                members.add(p)
                todo.extend(neighbours[p] - members)
        seen |= members
        paths = sorted(members, key=lambda p: (p not in shared, p))
        sub = {k: v for k, v in ranks.items() if k[0] in members}
        groups.append(CopulaGroup(tuple(paths), _factor(copula_matrix(paths, sub))))
    return groups


def _factor(matrix: np.ndarray) -> np.ndarray:
    """Lower-triangular factor of a positive semi-definite correlation matrix."""
    try:
        return np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        # Semi-definite (e.g. a rank correlation of exactly 1): factor a
        # slightly shrunk matrix, then renormalise the rows to unit variance.
        n = len(matrix)
        shrunk = (1 - 1e-9) * matrix + 1e-9 * np.eye(n)
        factor = np.linalg.cholesky(shrunk)
        return factor / np.sqrt((factor**2).sum(axis=1, keepdims=True))
