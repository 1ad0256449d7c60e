"""Rank correlation by reordering (Iman and Conover 1982) with normal scores.

Within each stream block, every correlated value is drawn with its own
sampler (so its margin is exactly its distribution).  The first value of a
group keeps its draws in place and scores them by their ranks (van der
Waerden scores ``z_0 = Phi^-1(rank / (n + 1))``); every other value gets a
standard normal score ``z`` from a second stream.  The scores are mixed with
a lower-triangular factor ``L`` of the Gaussian copula's correlation matrix
(``x = L z``, Pearson correlations 2 sin(pi rho / 6)), and each other value's
draws are rearranged to follow the ranks of its ``x``.  The draws keep their
margins exactly, and their Spearman correlation is that of the copula, the
target, up to sampling error of order 1 / sqrt(block size).

Shared values come first in a group, and the first value never moves, so a
shared value draws the same whether or not a scenario correlates it.

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
        """Keep the first value's draws in place and rearrange the others to
        follow the ranks of their mixed scores (``normals[0]`` is not used)."""
        from scipy.special import ndtri  # imported here: scipy is slow to import

        first = values[0]
        n = first.size
        ranks = np.empty(n)
        ranks[np.argsort(first)] = np.arange(1, n + 1)
        scores = [ndtri(ranks / (n + 1)), *normals[1:]]
        out = [first]
        for drawn, score in zip(values[1:], self.mix(scores)[1:], strict=True):
            arranged = np.empty_like(drawn)
            arranged[np.argsort(score)] = np.sort(drawn)
            out.append(arranged)
        return out


def copula_groups(scenario: Scenario, shared: set[str]) -> list[CopulaGroup]:
    """Connected groups of correlated values in ``scenario``, shared values first."""
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
