"""Rank correlation by reordering (Iman and Conover 1982) with normal scores.

Within each stream block, every correlated value is drawn with its own
sampler (so its margin is exactly its distribution), and a standard normal
score ``z`` is drawn for it from a second stream.  The scores are mixed with a
lower-triangular factor ``L`` of the Gaussian copula's correlation matrix
(``x = L z``, Pearson correlations 2 sin(pi rho / 6)), and each value's draws
are then rearranged to follow the ranks of its ``x``.  The draws keep their
margin exactly, and their Spearman correlation is that of the copula, the
target, up to sampling error of order 1 / sqrt(block size).

Reordering avoids evaluating inverse CDFs (slow for beta and PERT margins).
The mixing is written as explicit sums, not a matrix product, so the numbers
do not depend on how many draws are mixed at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sroi.scenario.correlations import copula_matrix
from sroi.scenario.model import Scenario


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
        """Correlated normal scores ``L z`` from independent normals ``z``."""
        out = []
        for i in range(len(self.paths)):
            x = self.factor[i, 0] * normals[0]
            for j in range(1, i + 1):
                x = x + self.factor[i, j] * normals[j]
            out.append(x)
        return out

    def reorder(self, values: list[np.ndarray], normals: list[np.ndarray]) -> list[np.ndarray]:
        """Rearrange each value's draws to follow the ranks of its mixed score."""
        out = []
        for drawn, score in zip(values, self.mix(normals), strict=True):
            arranged = np.empty_like(drawn)
            arranged[np.argsort(score)] = np.sort(drawn)
            out.append(arranged)
        return out


def copula_groups(scenario: Scenario, shared: set[str]) -> list[CopulaGroup]:
    """Connected groups of correlated values in ``scenario``.

    Every uncertain shared value that no correlation names forms a group of
    its own: it is reordered by its own scores, exactly as it would be as the
    first member of a group, so its draws are the same in every scenario of a
    run whether or not that scenario correlates it with something.
    """
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
    for path in sorted(shared - seen):
        groups.append(CopulaGroup((path,), np.ones((1, 1))))
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
