"""Draw every value of a scenario: the central values, or any range of draws."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from sroi.sampling.correlation import CopulaGroup, copula_groups
from sroi.sampling.inverse import quantiles
from sroi.sampling.parameters import Parameter, parameters
from sroi.sampling.quasi import BATCH, check_sampler, lhs_points, sobol_dimensions, sobol_points
from sroi.sampling.streams import BLOCK, draw_range, score_key, stream_key
from sroi.scenario.model import Scenario

#: Cache of shared values' draws within one chunk of a run: an uncorrelated
#: shared value's by ``(path, distribution, start, stop)``; a value of a
#: correlated group of shared values by the group's signature and its path
#: (see :meth:`ScenarioSampler.draws`).
SharedDraws = dict[tuple[object, ...], np.ndarray]

#: Input values for the engine: a float for a fixed value, else one per draw.
Inputs = dict[str, "float | np.ndarray"]


@dataclass(frozen=True)
class ScenarioSampler:
    """How to draw one scenario's values in a run with a given seed.

    Picklable, so worker processes can rebuild any range of draws.

    method : str
        ``"random"`` (pseudo-random streams), ``"sobol"`` or ``"lhs"``
        (:mod:`sroi.sampling.quasi`).
    dimensions : dict
        Path -> Sobol' dimension of each uncertain value (``"sobol"`` only;
        set for a whole run by :func:`with_sampler`).
    """

    scenario_id: str
    params: dict[str, Parameter]
    keys: dict[str, tuple[int, int]]
    groups: list[CopulaGroup] = field(default_factory=list)
    method: str = "random"
    dimensions: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, scenario: Scenario, seed: int) -> ScenarioSampler:
        """The sampler for ``scenario`` under ``seed``."""
        params = parameters(scenario)
        keys = {
            path: stream_key(seed, path, None if p.shared else scenario.id)
            for path, p in params.items()
            if p.uncertain
        }
        shared = {path for path, p in params.items() if p.shared and p.uncertain}
        return cls(scenario.id, params, keys, copula_groups(scenario, shared))

    def central(self) -> Inputs:
        """Every value at its central value (the base case)."""
        return {path: p.distribution.central() for path, p in self.params.items()}

    def draws(self, start: int, stop: int, shared: SharedDraws | None = None) -> Inputs:
        """Draws ``start .. stop-1`` of every value (fixed values as floats).

        ``shared`` caches shared values across the scenarios of a run: they
        come from the same stream, so when two scenarios give one the same
        distribution its draws are computed once.  So is a correlated group
        whose values are all shared, when two scenarios give it the same
        values, distributions and correlations.  The arrays are read-only by
        convention.
        """
        out: Inputs = {}
        grouped = {path for g in self.groups for path in g.paths}
        for path, p in self.params.items():
            if not p.uncertain:
                out[path] = p.distribution.central()
            elif path in grouped:
                continue
            elif p.shared and shared is not None:
                cache_key = (path, p.distribution, start, stop)
                if cache_key not in shared:
                    shared[cache_key] = self._draw(path, start, stop)
                out[path] = shared[cache_key]
            else:
                out[path] = self._draw(path, start, stop)
        for group in self.groups:
            if shared is not None and all(self.params[p].shared for p in group.paths):
                out.update(self._shared_group(group, start, stop, shared))
            else:
                out.update(self._correlated(group, start, stop))
        return out

    def _shared_group(
        self, group: CopulaGroup, start: int, stop: int, shared: SharedDraws
    ) -> Inputs:
        """Draws of a correlated group of shared values, from ``shared`` when
        another scenario of the run has drawn the same group.  Its draws
        depend only on its paths (hence stream keys), distributions,
        correlations, the sampler and the range, which make the cache key."""
        distributions = tuple(self.params[p].distribution for p in group.paths)
        signature = (group.paths, distributions, group.factor.tobytes(), self.method, start, stop)
        if (*signature, group.paths[0]) not in shared:
            for path, values in self._correlated(group, start, stop).items():
                shared[(*signature, path)] = values
        return {path: shared[(*signature, path)] for path in group.paths}

    def _correlated(self, group: CopulaGroup, start: int, stop: int) -> dict[str, np.ndarray]:
        """Draws of a correlated group, reordered block by block (whole blocks
        are drawn, so a draw does not depend on the chunk it falls in); under
        a quasi-random sampler, batch by batch, which keeps each batch's
        margins stratified."""
        unit = BLOCK if self.method == "random" else BATCH
        parts: dict[str, list[np.ndarray]] = {p: [] for p in group.paths}
        for block in range(start // unit, (stop - 1) // unit + 1):
            first = block * unit
            span = (first, first + unit)
            values = [self._draw(p, *span) for p in group.paths]
            normals = [np.empty(0)] + [
                draw_range(score_key(self.keys[p]), *span, "normal") for p in group.paths[1:]
            ]
            lo, hi = max(start, first) - first, min(stop, first + unit) - first
            for path, v in zip(group.paths, group.reorder(values, normals), strict=True):
                parts[path].append(v[lo:hi])
        return {p: np.concatenate(v) if len(v) > 1 else v[0] for p, v in parts.items()}

    def _draw(self, path: str, start: int, stop: int) -> np.ndarray:
        """Draws ``start .. stop-1`` of one uncertain value, with this
        sampler's method."""
        distribution = self.params[path].distribution
        key = self.keys[path]
        if self.method == "random":
            return draw_range(key, start, stop, distribution)
        if self.method == "sobol":
            uniform = sobol_points(key, self.dimensions[path], start, stop)
        else:
            uniform = lhs_points(key, start, stop)
        return quantiles(distribution, uniform)

    def uncertain_paths(self) -> list[str]:
        """Paths of the values that are drawn."""
        return [path for path, p in self.params.items() if p.uncertain]


def with_sampler(samplers: list[ScenarioSampler], method: str) -> list[ScenarioSampler]:
    """The samplers of one run, set to draw with ``method`` (``"random"``,
    ``"sobol"`` or ``"lhs"``).  Sobol' dimensions are assigned over the whole
    run from the stream keys, so a shared value has one dimension."""
    check_sampler(method)
    if method == "random":
        return samplers
    dims = sobol_dimensions({k for s in samplers for k in s.keys.values()})
    return [
        replace(
            s,
            method=method,
            dimensions={p: dims[k] for p, k in s.keys.items()} if method == "sobol" else {},
        )
        for s in samplers
    ]
