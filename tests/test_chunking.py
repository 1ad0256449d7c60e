"""The chunk size a run chooses when none is given (sroi/engine/chunking.py):
its bounds, and that it never changes a result."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from test_engine import write_linear

import sroi
from sroi.analysis.compare import compare
from sroi.analysis.voi import voi
from sroi.engine.accumulate import STORE_BUDGET_BYTES
from sroi.engine.chunking import (
    MOST_BLOCKS,
    WORK_BYTES,
    automatic_chunk,
    check_chunk_size,
    stored_per_block,
)
from sroi.engine.runner import DrawSummary, RunPlan, chosen_chunk, draw_bytes, run_draws
from sroi.sampling.streams import BLOCK
from sroi.sweep import sweep
from sroi.vocabulary import PROGRAMME

SITES = Path(__file__).resolve().parent.parent / "scenarios" / "family_action_pss"
BUDGET = STORE_BUDGET_BYTES
#: Bytes of a stored draw of the four bundled sites and their programme:
#: 5 names x 8 bytes x (32 metrics + 67 years).
FOUR_SITES = 5 * 8 * (32 + 67)


def test_a_large_run_of_the_four_sites_takes_the_most_blocks() -> None:
    # 32,768 draws x 3,960 bytes = 130 MB of arrays, within WORK_BYTES (268 MB).
    assert automatic_chunk(10**6, 1, FOUR_SITES, 7 * 10**6, BUDGET) == MOST_BLOCKS * BLOCK


def test_the_arrays_of_a_chunk_stay_within_their_memory() -> None:
    # A stored draw of 2 1/2 blocks' worth of WORK_BYTES allows two blocks;
    # one too large for a single block still gets one.
    per_draw = WORK_BYTES // (BLOCK * 5 // 2)
    assert automatic_chunk(10**6, 1, per_draw, 1, BUDGET) == 2 * BLOCK
    assert automatic_chunk(10**6, 1, 100 * WORK_BYTES // BLOCK, 1, BUDGET) == BLOCK
    # 64 scenarios: 65 names x 8 bytes x 99 = 51,480 bytes a draw.
    assert automatic_chunk(10**5, 1, 65 * 8 * 99, 1, BUDGET) == BLOCK


def test_the_draws_a_chunk_hands_back_stay_within_a_quarter_of_the_store() -> None:
    # Three blocks' hand-back would pass a quarter of the budget; two do not.
    handed = BUDGET // 4 // 3 + 1
    assert automatic_chunk(10**6, 1, 1, handed, BUDGET) == 2 * BLOCK
    # Every draw of 85,000 stored (step 1): a block hands back 65 MB.
    handed = stored_per_block(1, FOUR_SITES)
    assert handed == BLOCK * FOUR_SITES
    assert automatic_chunk(85_000, 1, FOUR_SITES, handed, BUDGET) == BLOCK
    # Every 12th draw (10^6 draws): 1,366 draws a block.
    assert stored_per_block(12, FOUR_SITES) == 1366 * FOUR_SITES


def test_every_worker_gets_four_chunks() -> None:
    # 2 workers x 4 chunks: 16 blocks of draws allow 2 blocks a chunk.
    assert automatic_chunk(16 * BLOCK, 2, 1, 1, BUDGET) == 2 * BLOCK
    assert automatic_chunk(16 * BLOCK - 1, 2, 1, 1, BUDGET) == BLOCK
    assert automatic_chunk(16 * BLOCK - 1, 1, 1, 1, BUDGET) == MOST_BLOCKS * BLOCK


def _plan(folder: Path) -> RunPlan:
    """One small uncertain scenario (every kind of margin), quick to run."""
    return RunPlan.build([sroi.load_scenario(write_linear(folder, "linear"))], 5)


def _run(plan: RunPlan, draws: int, **kwargs: object) -> tuple[DrawSummary, list[int]]:
    done: list[int] = []
    return run_draws(plan, draws, progress=done.append, **kwargs), done  # type: ignore[arg-type]


def test_a_run_without_a_chunk_size_takes_automatic_chunks_and_the_same_results(
    tmp_path: Path,
) -> None:
    plan = _plan(tmp_path)
    # A block hands back about budget x BLOCK / draws of stored draws, so
    # chunks of the most blocks need 4 x MOST_BLOCKS blocks of draws or more
    # (with the value profiles, which take a quarter of the budget, about 5 x).
    draws = 24 * BLOCK + 777
    auto, done = _run(plan, draws, budget=2_000_000)
    assert done == [MOST_BLOCKS * BLOCK * k for k in range(1, 24 // MOST_BLOCKS + 1)] + [draws]
    one, done = _run(plan, draws, budget=2_000_000, chunk_size=BLOCK)
    assert done == [BLOCK * k for k in range(1, 25)] + [draws]
    assert auto.step == one.step > 1
    for name in ("linear", PROGRAMME):
        for metric, values in one.stored[name].items():
            np.testing.assert_array_equal(auto.stored[name][metric], values)
        for metric, m in one.moments[name].items():
            got = auto.moments[name][metric]
            for part in ("count", "mean", "m2"):
                np.testing.assert_array_equal(getattr(got, part), getattr(m, part))
        assert auto.counts[name] == one.counts[name]
    assert auto.precision.half_widths == one.precision.half_widths


def test_precision_runs_and_executors_take_one_block_a_chunk(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    draws = 2 * BLOCK + 5
    _, done = _run(plan, draws, budget=2_000_000, precision=1e-9)
    assert done == [BLOCK, 2 * BLOCK, draws]
    with ThreadPoolExecutor(max_workers=1) as pool:
        _, done = _run(plan, draws, budget=2_000_000, executor=pool)
    assert done == [BLOCK, 2 * BLOCK, draws]


def test_the_four_sites_take_the_chunks_the_methodology_gives() -> None:
    """docs/methodology.md §12, item 10: one block below 137,721 draws, two
    from there; with two workers, one below 262,144 (8 chunks of 2 blocks)
    and two from there."""
    files = sorted(p for p in SITES.glob("*.yaml") if not p.name.startswith("_"))
    plan = RunPlan.build([sroi.load_scenario(f) for f in files], 0)
    assert draw_bytes(plan)[0] == FOUR_SITES
    for draws, workers, blocks in [
        (137_720, 1, 1),
        (137_721, 1, 2),
        (10**7, 1, 2),
        (262_143, 2, 1),
        (262_144, 2, 2),
        (10**7, 2, 2),
    ]:
        assert chosen_chunk(plan, draws, workers) == blocks * BLOCK, (draws, workers)
    # Over 300 years the programme's value per year, 6 perspectives x 300
    # years x 8 bytes = 14,400 bytes a draw, allows one block (1.1).
    assert chosen_chunk(replace(plan, horizon=300), 10**7) == BLOCK
    text = (SITES.parent.parent / "docs" / "methodology.md").read_text(encoding="utf-8")
    flat = " ".join(text.split())
    assert "one block below 137,721 draws and two from there" in flat
    assert "one below 262,144, two from there" in flat


@pytest.mark.parametrize("bad", [0, -5, 2.5, True, "16384"])
def test_every_entry_point_refuses_a_chunk_size_that_is_not_a_whole_number(
    bad: object, tmp_path: Path
) -> None:
    """``compare`` once said "range() arg 3 must not be zero" for 0, and
    TypeError for None; every entry point now says what it expects."""
    oxford = SITES / "oxford.yaml"
    message = "chunk_size must be a whole number >= 1 or None"
    calls = [
        lambda: sroi.run(oxford, draws=10, chunk_size=bad),
        lambda: compare(oxford, draws=10, chunk_size=bad),
        lambda: voi(oxford, draws=10, chunk_size=bad),
        lambda: sweep(oxford, tmp_path / "out.csv", grid=[{}], draws=10, chunk_size=bad),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=message):
            call()
    assert not (tmp_path / "out.csv").exists()


def test_a_chunk_size_of_none_is_the_default_everywhere() -> None:
    oxford = SITES / "oxford.yaml"
    a = compare(oxford, draws=300, chunk_size=None)
    b = compare(oxford, draws=300)
    assert a.league.equals(b.league)
    assert (
        sroi.run(oxford, draws=300, chunk_size=None)
        .summary()
        .equals(sroi.run(oxford, draws=300).summary())
    )
    assert check_chunk_size(np.int64(7)) == 7
