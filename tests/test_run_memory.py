"""A run's working memory does not grow with its number of scenarios.

Scenarios are computed one at a time within a chunk, and only what the
store keeps (bounded by its budget) outlives a scenario's turn.  The test
compares the traced peak of runs of 4 and 16 copies of one site, with a
store budget small enough that the store itself is not what is measured.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from sroi import load_scenario
from sroi.engine.runner import RunPlan, run_draws

SITE = Path(__file__).resolve().parent.parent / "scenarios" / "family_action_pss" / "oxford.yaml"
DRAWS = 2048
BUDGET = 2**20


def traced_peak(copies: int) -> int:
    """Peak of the memory numpy and Python allocate during a run of
    ``copies`` renamed copies of Oxford [bytes]."""
    site = load_scenario(SITE)
    plan = RunPlan.build(
        [site.model_copy(update={"id": f"site_{k}"}) for k in range(copies)], seed=0
    )
    tracemalloc.start()
    try:
        run_draws(plan, DRAWS, budget=BUDGET)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_working_memory_is_flat_in_the_number_of_scenarios() -> None:
    traced_peak(4)  # caches and first-use allocations, not part of the comparison
    few, many = traced_peak(4), traced_peak(16)
    # Holding on to one (draws, horizon) array per scenario, 2048 x 67 x 8
    # bytes = 1.1 MB, would add 13 MB over the 12 extra scenarios (and each
    # scenario's per-year arrays, kept all at once as they once were, about
    # 14 MB each: 170 MB).  Measured: about 0.5 MB more.
    assert many - few < 4 * 2**20, (few, many)
