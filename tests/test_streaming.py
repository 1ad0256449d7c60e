"""Beyond the memory budget: thinned stored draws, exact merged moments.

Forcing a tiny budget makes a small run take the streaming path, so these
checks are fast.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sroi
from sroi.engine.accumulate import Moments, block_spans, store_step, stored_indices
from sroi.engine.runner import RunPlan, run_draws
from sroi.sampling.streams import BLOCK
from sroi.vocabulary import PROGRAMME

SITES = Path(__file__).resolve().parent.parent / "scenarios" / "family_action_pss"
DRAWS = 2 * BLOCK + 777


def plan() -> RunPlan:
    files = [SITES / "oxford.yaml", SITES / "hackney.yaml"]
    return RunPlan.build([sroi.load_scenario(f) for f in files], 3)


def test_thinned_runs_store_every_kth_draw_of_the_exact_run() -> None:
    p = plan()
    exact = run_draws(p, DRAWS)
    thin = run_draws(p, DRAWS, budget=200_000)
    assert exact.step == 1 and thin.step > 1
    for name in (*p.ids, PROGRAMME):
        for metric in ("npv", "sroi_ratio", "payback_year"):
            np.testing.assert_array_equal(
                thin.stored[name][metric], exact.stored[name][metric][:: thin.step]
            )
        # Moments and counts cover every draw, whichever path computed them.
        for metric, moments in exact.moments[name].items():
            n, mean, m2 = moments.total()
            n2, mean2, m22 = thin.moments[name][metric].total()
            assert n == n2
            if n == 0:  # never defined (a perspective that never pays back)
                continue
            assert mean2 == mean or abs(mean2 - mean) <= 1e-12 * abs(mean)
            assert m22 == m2 or abs(m22 - m2) <= 1e-9 * abs(m2)
        assert thin.counts[name] == exact.counts[name]


@pytest.mark.slow
def test_thinned_runs_do_not_depend_on_chunks_or_workers() -> None:
    p = plan()
    runs = [
        run_draws(p, DRAWS, budget=200_000, chunk_size=1000),
        run_draws(p, DRAWS, budget=200_000, chunk_size=BLOCK),
        run_draws(p, DRAWS, budget=200_000, chunk_size=10 * BLOCK),
        run_draws(p, DRAWS, budget=200_000, workers=2),
    ]
    first = runs[0]
    for other in runs[1:]:
        assert other.step == first.step
        for name in first.moments:
            for metric, m in first.moments[name].items():
                assert other.moments[name][metric].total() == m.total()
                np.testing.assert_array_equal(
                    other.stored[name][metric], first.stored[name][metric]
                )


def test_moments_merge_to_the_plain_statistics() -> None:
    rng = np.random.default_rng(0)
    x = rng.lognormal(size=3 * BLOCK + 5)
    x[::7] = np.nan
    n, mean, m2 = Moments.of(x, 0).total()
    finite = x[~np.isnan(x)]
    assert n == finite.size
    np.testing.assert_allclose(mean, finite.mean(), rtol=1e-12)
    np.testing.assert_allclose(m2 / (n - 1), finite.var(ddof=1), rtol=1e-10)


def test_block_and_storage_arithmetic() -> None:
    assert block_spans(BLOCK - 2, BLOCK + 3) == [(BLOCK - 2, BLOCK), (BLOCK, BLOCK + 3)]
    assert store_step(100, 8, budget=800) == 1
    assert store_step(101, 8, budget=800) == 2
    # Draws 10..19 with every 4th draw kept: global draws 12 and 16.
    assert list(range(10, 20))[stored_indices(10, 20, 4)] == [12, 16]
