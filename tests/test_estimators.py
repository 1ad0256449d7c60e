"""Estimators on arrays, each on a toy whose answer is worked out by hand, and
the draw collector that feeds them the draws of ``sroi.run``."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import sroi
from sroi.analysis.breakeven import bracket, relative_change, verdict
from sroi.analysis.collect import collect
from sroi.analysis.compare import (
    acceptability,
    interval,
    mean_ranks,
    pairwise,
    rank_probabilities,
    rank_spans,
    recovery,
)
from sroi.analysis.oneway import swing
from sroi.analysis.voi import decision, evpi
from sroi.results.run_info import RunInfo, ScenarioInfo

ROOT = Path(__file__).resolve().parents[1]
OXFORD = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"
FAMILY = ROOT / "scenarios" / "family_action_pss"

# Three alternatives over four draws.  Draw by draw (highest first):
#   draw 0: a=3 > b=2 > c=1            ranks a1 b2 c3
#   draw 1: a=1 = b=1 > c=0            a, b share ranks 1-2; c3
#   draw 2: c=5 > a=2 > b=NaN (bottom)  c1 a2 b3
#   draw 3: a=b=c=4                     all share ranks 1-3
TOY = np.array(
    [
        [3.0, 1.0, 2.0, 4.0],
        [2.0, 1.0, np.nan, 4.0],
        [1.0, 0.0, 5.0, 4.0],
    ]
)


def test_rank_spans_count_those_above_and_the_tie() -> None:
    above, level = rank_spans(TOY)
    assert above.tolist() == [[0, 0, 1, 0], [1, 0, 2, 0], [2, 2, 0, 0]]
    assert level.tolist() == [[1, 2, 1, 3], [1, 2, 1, 3], [1, 1, 1, 3]]


def test_rank_probabilities_by_hand() -> None:
    # a: rank 1 in draw 0, half of ranks 1-2 in draw 1, rank 2 in draw 2,
    # a third of ranks 1-3 in draw 3:
    #   P(1) = (1 + 1/2 + 0 + 1/3) / 4 = 11/24, P(2) = (0 + 1/2 + 1 + 1/3) / 4 = 11/24,
    #   P(3) = (1/3) / 4 = 1/12.
    probs = rank_probabilities(TOY)
    np.testing.assert_allclose(probs[0], [11 / 24, 11 / 24, 1 / 12])
    # c: rank 3, 3, 1, and a third of each in draw 3.
    np.testing.assert_allclose(probs[2], [(1 + 1 / 3) / 4, (1 / 3) / 4, (2 + 1 / 3) / 4])
    np.testing.assert_allclose(probs.sum(axis=0), 1.0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_mean_ranks_share_ties() -> None:
    # A tie spanning ranks 1-2 shares 1.5; one spanning 1-3 shares 2.
    assert mean_ranks(TOY).tolist() == [
        [1.0, 1.5, 2.0, 2.0],
        [2.0, 1.5, 3.0, 2.0],
        [3.0, 3.0, 1.0, 2.0],
    ]
    # The mean of the per-draw ranks is the mean rank of the rank probabilities.
    np.testing.assert_allclose(
        mean_ranks(TOY).mean(axis=1), rank_probabilities(TOY) @ np.arange(1, 4)
    )


def test_pairwise_counts_strict_wins_only() -> None:
    # a beats b in draws 0 and 2 (NaN loses); ties in draws 1 and 3 count for neither.
    p = pairwise(TOY)
    assert p[0, 1] == 0.5 and p[1, 0] == 0.0
    # a beats c in draws 0 and 1: 2/4; c beats a in draw 2: 1/4.
    assert p[0, 2] == 0.5 and p[2, 0] == 0.25
    assert all(math.isnan(p[i, i]) for i in range(3))


def test_acceptability_at_thresholds() -> None:
    # P(score >= 2): a in draws 0, 2, 3 -> 3/4; b in draws 0, 3 -> 2/4 (NaN never);
    # c in draws 2, 3 -> 2/4.  P(score >= 0): b's NaN draw fails, c's 0 passes.
    out = acceptability(TOY, [0.0, 2.0])
    assert out.tolist() == [[1.0, 0.75, 1.0], [0.75, 0.5, 0.5]]


def test_interval_leaves_undefined_draws_out() -> None:
    # Over 0..100: mean 50, 5th percentile 5, 95th 95 (linear interpolation).
    values = np.append(np.arange(101.0), np.nan)
    assert interval(values) == (50.0, 5.0, 95.0)
    assert all(math.isnan(x) for x in interval(np.array([np.nan])))


def test_recovery_of_a_payer() -> None:
    values = np.arange(101.0)  # value to the payer per draw [GBP]
    # P(value > 89.5) = 11 draws (90..100) of 101.
    out = recovery(values, 89.5)
    assert out == {
        "prob_recovered": 11 / 101,
        "value_mean": 50.0,
        "value_p5": 5.0,
        "value_p95": 95.0,
    }


def test_swing_is_the_distance_between_the_two_settings() -> None:
    out = swing(np.array([1.0, 4.0, np.nan]), np.array([3.0, 1.5, 0.0]))
    assert out[:2].tolist() == [2.0, 2.5] and math.isnan(out[2])


def test_bracket_picks_the_crossing_nearest_the_central_value() -> None:
    x = np.arange(6.0)
    gap = np.array([-1.0, 1.0, 1.0, 1.0, -1.0, -1.0])  # crossings in [0, 1] and [3, 4]
    assert bracket(x, gap, 0.2) == (0.0, 1.0)
    assert bracket(x, gap, 3.9) == (3.0, 4.0)
    # A zero on the last point is a crossing; a sign change across a NaN is not.
    assert bracket(x, np.array([1.0, np.nan, -1.0, -2.0, -1.0, 0.0]), 0.0) == (4.0, 5.0)
    assert bracket(x, np.ones(6), 2.0) is None


def test_verdict_and_relative_change() -> None:
    assert verdict(1.0, 1.0, 2.0) == "inside"  # the ends belong to the range
    assert verdict(2.5, 1.0, 2.0) == "outside"
    assert verdict(math.nan, 1.0, 2.0) == "none"
    assert relative_change(-50.0, -100.0) == 0.5  # relative to |central|
    assert math.isnan(relative_change(3.0, 0.0))


def test_decision_on_a_linear_toy() -> None:
    # NPV = x, x uniform on a symmetric grid around -0.5: E[NPV] = -0.5 < 0,
    # so do not commission.  Knowing x is knowing NPV: EVPPI(x) = EVPI.
    # EVPI = E[max(x, 0)] - 0; over 301 points from -2 to 1 (step 0.01), the
    # positive ones are 0.01 .. 1.00: sum 50.5, so EVPI = 50.5 / 301.
    x = np.linspace(-2.0, 1.0, 301)
    users = np.full(301, 4.0)
    row, rows = decision(x, users, {"x": [x], "noise": [np.cos(37 * x)]}, {"both": ("*",)})
    assert row["decision"] == "do not commission"
    assert row["evpi"] == pytest.approx(50.5 / 301) == evpi(x)
    assert row["evpi_per_woman"] == pytest.approx(row["evpi"] / 4)
    assert row["prob_npv_positive"] == pytest.approx(100 / 301)
    by_name = {r["name"]: r for r in rows}
    assert by_name["x"]["evppi"] == pytest.approx(row["evpi"], rel=1e-6)
    assert by_name["x"]["share_of_evpi"] == pytest.approx(1.0, rel=1e-6)
    assert by_name["both"]["kind"] == "group" and by_name["both"]["paths"] == "x,noise"


def test_run_info_header_and_defaults() -> None:
    info = ScenarioInfo("a", "Site A", "a.yaml", "ab" * 32, "GBP", 2011)
    run = RunInfo(seed=4, draws=100, scenarios=(info,), version="9.9")
    assert run.header(money=True) == {
        "sroi_version": "9.9",
        "seed": 4,
        "draws": 100,
        "sampler": "random",
        "perspective": "society",
        "currency": "GBP",
        "price_year": 2011,
    }
    assert list(run.header(method="voi")) == [
        "sroi_version",
        "method",
        "seed",
        "draws",
        "sampler",
        "perspective",
    ]
    assert (run.sampler, run.perspective) == ("random", "society")
    assert run.file_hashes == {"a": "ab" * 32}


def test_collector_keeps_the_draws_of_sroi_run() -> None:
    results = sroi.run(FAMILY, draws=300, seed=9)
    found = collect(FAMILY, 300, 9, ["npv", "sroi_ratio"], chunk_size=128)
    assert found.ids == [s.id for s in results.scenarios]
    assert found.run.file_hashes == {s.id: s.sha256 for s in results.scenarios}
    for name in results.names:
        np.testing.assert_array_equal(found.metrics[name]["npv"], results.metric("npv", name))


def test_collector_reads_inputs_and_flows() -> None:
    def read(flows, n):  # total undiscounted cost per draw
        return {"cost": np.broadcast_to(flows.cost.sum(axis=1), (n,))}

    found = collect(OXFORD, 40, 2, ["cost_total"], inputs=True, read=read, chunk_size=16)
    np.testing.assert_allclose(found.flows["oxford"]["cost"], found.metrics["oxford"]["cost_total"])
    assert all(v.shape == (40,) for v in found.inputs[0].values())


def test_kept_outcomes_do_not_depend_on_chunking() -> None:
    a = sroi.run(OXFORD, draws=200, seed=3, keep_outcomes=True)
    b = sroi.run(OXFORD, draws=200, seed=3, keep_outcomes=True, chunk_size=37)
    assert a.outcomes is not None and b.outcomes is not None
    for oid, pv in a.outcomes["oxford"].pv.items():
        np.testing.assert_array_equal(pv, b.outcomes["oxford"].pv[oid])
    total = np.sum(list(a.outcomes["oxford"].pv.values()), axis=0)
    np.testing.assert_allclose(total, a.metric("value_pv", "oxford"), rtol=1e-12)
