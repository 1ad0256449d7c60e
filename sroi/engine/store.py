"""Where a Monte Carlo run keeps its draws, preallocated for the whole run.

The stored metrics and yearly positions (every ``step``-th draw), the value
profiles (every ``profile_step``-th) and each outcome's quantity and PV (the
stored draws) are arrays sized for all ``draws`` before the first chunk; a
chunk's kept draws are written at their place by :meth:`Store.put`, so the
result does not depend on the order in which chunks finish.

With ``shared=True`` the arrays live in anonymous shared memory: worker
processes forked after :meth:`Store.allocate` write their chunks straight into
the parent's arrays, and only the small summaries (counts, moments, batch
sums) cross a pipe.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sroi.engine.accumulate import Metrics
from sroi.engine.outcomes import OutcomeSplit
from sroi.vocabulary import PAYERS, PROGRAMME

if TYPE_CHECKING:
    from sroi.engine.runner import ChunkResult, RunPlan

Allocator = Callable[[tuple[int, ...], type[np.floating]], np.ndarray]


def private_empty(shape: tuple[int, ...], dtype: type[np.floating]) -> np.ndarray:
    """An uninitialised array in this process's own memory."""
    return np.empty(shape, dtype)


def shared_empty(shape: tuple[int, ...], dtype: type[np.floating]) -> np.ndarray:
    """A zeroed array in an anonymous shared mapping (``MAP_SHARED``):
    processes forked after this call write into the same memory."""
    size = int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize
    if size == 0:
        return np.empty(shape, dtype)
    return np.frombuffer(mmap.mmap(-1, size), dtype).reshape(shape)


@dataclass(frozen=True)
class Store:
    """The kept draws of a run, by scenario id and ``"programme"``.

    step : int
        Every ``step``-th draw is in ``stored``, ``yearly`` and ``apart``.
    profile_step : int
        Every ``profile_step``-th draw is in ``profiles``.
    stored : dict
        Name -> metric -> stored draws.
    yearly : dict
        Name -> cumulative discounted net position of the stored draws, per
        analysis year [currency], shape ``(stored draws, horizon)``.
    profiles : dict or None
        Name -> payer -> undiscounted value per analysis year [currency],
        float32 (None unless outcomes are kept).
    apart : dict or None
        Scenario id -> each outcome's quantity and PV in the stored draws
        (None unless outcomes are kept).
    """

    step: int
    profile_step: int
    stored: dict[str, Metrics]
    yearly: dict[str, np.ndarray]
    profiles: dict[str, dict[str, np.ndarray]] | None
    apart: dict[str, OutcomeSplit] | None

    @classmethod
    def allocate(
        cls,
        plan: RunPlan,
        draws: int,
        metrics: tuple[str, ...],
        step: int,
        profile_step: int,
        keep_outcomes: bool,
        shared: bool = False,
    ) -> Store:
        """Arrays for ``draws`` draws of ``plan``: ``metrics`` per name, the
        yearly positions and, with ``keep_outcomes``, the profiles and each
        outcome apart; in shared memory with ``shared``."""
        empty: Allocator = shared_empty if shared else private_empty
        names = [*plan.ids, PROGRAMME]
        kept = len(range(0, draws, step))
        f8 = np.float64
        stored = {name: {k: empty((kept,), f8) for k in metrics} for name in names}
        yearly = {name: empty((kept, plan.horizon), f8) for name in names}
        profiles = apart = None
        if keep_outcomes:
            shape = (len(range(0, draws, profile_step)), plan.horizon)
            profiles = {n: {p: empty(shape, np.float32) for p in PAYERS} for n in names}
            apart = {
                s.id: OutcomeSplit(
                    {},
                    {o: empty((kept,), f8) for o in s.outcomes},
                    {o: empty((kept,), f8) for o in s.outcomes},
                )
                for s in plan.scenarios
            }
        return cls(step, profile_step, stored, yearly, profiles, apart)

    def put(self, r: ChunkResult) -> None:
        """Write the kept draws of one chunk's result at their place."""
        lo = len(range(0, r.start, self.step))
        for name, metrics in r.stored.items():
            for k, v in metrics.items():
                self.stored[name][k][lo : lo + v.size] = v
            self.yearly[name][lo : lo + len(r.yearly[name])] = r.yearly[name]
        if self.profiles is not None and r.profiles is not None:
            first = len(range(0, r.start, self.profile_step))
            for name, by_payer in r.profiles.items():
                for p, v in by_payer.items():
                    self.profiles[name][p][first : first + len(v)] = v
        if self.apart is not None and r.outcomes is not None:
            for sid, part in r.outcomes.items():
                for o, v in part.quantity.items():
                    self.apart[sid].quantity[o][lo : lo + v.size] = v
                for o, v in part.pv.items():
                    self.apart[sid].pv[o][lo : lo + v.size] = v
