"""Worker processes: the same summary, bit for bit, whichever way chunks
travel.  A run's own pool forks its workers with the plan and a store in
shared memory, and only counts, moments and batch sums come back; any other
executor (or a platform that does not fork) gets every chunk's kept draws
back through pickling.  Both must equal the run in one process."""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import sroi
from sroi.engine import runner
from sroi.engine.runner import DrawSummary, RunPlan, run_draws
from sroi.engine.store import Store, shared_empty

SITES = Path(__file__).resolve().parent.parent / "scenarios" / "family_action_pss"
DRAWS = 2_500
CHUNK = 1_000  # three chunks, the last one short


@pytest.fixture(scope="module")
def plan() -> RunPlan:
    files = [SITES / "oxford.yaml", SITES / "hackney.yaml"]
    return RunPlan.build([sroi.load_scenario(f) for f in files], 11)


def _same(a: DrawSummary, b: DrawSummary) -> None:
    assert (a.draws, a.step, a.profile_step) == (b.draws, b.step, b.profile_step)
    assert a.counts == b.counts
    for name, metrics in a.stored.items():
        for k, v in metrics.items():
            np.testing.assert_array_equal(b.stored[name][k], v, err_msg=f"{name} {k}")
            assert b.moments[name][k].total() == a.moments[name][k].total()
        np.testing.assert_array_equal(b.yearly[name], a.yearly[name], err_msg=name)
    assert a.profiles is not None and b.profiles is not None
    for name, by_payer in a.profiles.items():
        for p, v in by_payer.items():
            np.testing.assert_array_equal(b.profiles[name][p], v, err_msg=f"{name} {p}")
    assert a.outcomes is not None and b.outcomes is not None
    for sid, part in a.outcomes.items():
        for o, v in part.pv.items():
            np.testing.assert_array_equal(b.outcomes[sid].pv[o], v)
            np.testing.assert_array_equal(b.outcomes[sid].quantity[o], part.quantity[o])


@pytest.fixture(scope="module")
def serial(plan: RunPlan) -> DrawSummary:
    return run_draws(plan, DRAWS, chunk_size=CHUNK, keep_outcomes=True)


@pytest.mark.skipif(not runner._forks(), reason="process pools here do not fork")
def test_forked_workers_write_the_same_store_in_place(
    plan: RunPlan, serial: DrawSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[bool] = []
    allocate = Store.allocate.__func__  # type: ignore[attr-defined]

    def spy(cls: type[Store], *args: object, **kwargs: object) -> Store:
        calls.append(bool(kwargs.get("shared")))
        return allocate(cls, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(Store, "allocate", classmethod(spy))
    two = run_draws(plan, DRAWS, chunk_size=CHUNK, keep_outcomes=True, workers=2)
    assert calls == [True], "the run's own pool did not use the shared store"
    _same(serial, two)


def test_pickled_results_give_the_same_summary(
    plan: RunPlan, serial: DrawSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "_forks", lambda: False)
    _same(serial, run_draws(plan, DRAWS, chunk_size=CHUNK, keep_outcomes=True, workers=2))
    with ProcessPoolExecutor(max_workers=2) as pool:
        given = run_draws(plan, DRAWS, chunk_size=CHUNK, keep_outcomes=True, executor=pool)
    _same(serial, given)


def test_an_in_place_chunk_returns_only_its_summaries(plan: RunPlan) -> None:
    """What crosses the pipe: no stored draws, yearly positions, profiles or
    outcomes; they are in the store, where the plain chunk would put them."""
    store = Store.allocate(plan, DRAWS, runner.flow_metric_names(), 1, 1, True, shared=True)
    runner._install(plan, store)
    try:
        r = runner._run_range_in_place(1, False, True, 1, (CHUNK, 2 * CHUNK))
    finally:
        runner._WORKER = None
    assert r.stored == {} and r.yearly == {} and r.outcomes is None and r.profiles is None
    assert r.batches, "a run's chunks carry the batch sums of its precision"
    plain = runner.run_chunk(plan, CHUNK, 2 * CHUNK, 1, False, True, 1, False)
    assert r.counts == plain.counts
    for name, metrics in plain.stored.items():
        for k, v in metrics.items():
            np.testing.assert_array_equal(store.stored[name][k][CHUNK : 2 * CHUNK], v)
        np.testing.assert_array_equal(store.yearly[name][CHUNK : 2 * CHUNK], plain.yearly[name])


def test_shared_arrays_start_zeroed_and_take_any_shape() -> None:
    a = shared_empty((3, 4), np.float32)
    assert a.shape == (3, 4) and a.dtype == np.float32 and not a.any()
    a[1, 2] = 5.0
    assert a.sum() == 5.0
    assert shared_empty((0, 4), np.float64).shape == (0, 4)


def test_the_parent_builds_what_drawing_needs_before_the_pool_forks(plan: RunPlan) -> None:
    # The bundled sites' PERT and beta values read quantile tables, and their
    # correlated lifetime shares need scipy.special: built once in the
    # parent, they are inherited by every forked worker.
    from sroi.sampling.inverse import beta_table

    beta_table.cache_clear()
    runner._prepare(plan)
    assert beta_table.cache_info().currsize > 0
    assert any(g.paths for s in plan.samplers for g in s.groups)
    assert "scipy.special" in sys.modules
