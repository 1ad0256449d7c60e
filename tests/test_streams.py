"""Pseudo-random streams: the block generator, draws by inversion for beta and
PERT, and correlated groups of shared values drawn once per chunk."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from report_toys import TOY_A
from scipy import special, stats

import sroi
from sroi.distributions import (
    Beta,
    Distribution,
    Gamma,
    LogNormal,
    Normal,
    Pert,
    Range90,
    Triangular,
    Uniform,
)
from sroi.engine.runner import RunPlan, run_draws
from sroi.sampling.correlation import CopulaGroup
from sroi.sampling.inverse import beta_table, quantiles, tabulated
from sroi.sampling.sampler import ScenarioSampler, SharedDraws
from sroi.sampling.streams import BLOCK, block_generator, block_values, draw_range, stream_key
from sroi.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
FAMILY = ROOT / "scenarios" / "family_action_pss"
SITES = sorted(p for p in FAMILY.glob("*.yaml") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def sites() -> list[sroi.Scenario]:
    return [load_scenario(p) for p in SITES]


# --------------------------------------------------------------------------- blocks


def test_stream_keys_follow_the_recipe_in_the_methodology() -> None:
    """docs/methodology.md §11 states the key exactly, so that a draw can be
    reproduced without sroi; an independent check had to guess it."""
    import hashlib

    from sroi.sampling.streams import score_key

    def recipe(seed: int, path: str, scenario_id: str) -> tuple[int, int]:
        digest = hashlib.blake2b(f"{scenario_id}\0{path}".encode(), digest_size=16).digest()
        words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]
        state = np.random.SeedSequence(entropy=[seed, *words]).generate_state(2, dtype=np.uint64)
        return int(state[0]), int(state[1])

    for seed, path, sid in ((0, "effect.risk_without", ""), (7, "delivery.uptake", "oxford")):
        key = recipe(seed, path, sid)
        assert key == stream_key(seed, path, sid or None)
        scores = np.random.SeedSequence(entropy=[*key, 0x5C0E]).generate_state(2, dtype=np.uint64)
        assert score_key(key) == (int(scores[0]), int(scores[1]))


def test_a_block_is_sfc64_seeded_from_key_and_block() -> None:
    key = stream_key(3, "delivery.uptake", "oxford")
    rng = block_generator(key, 5)
    assert isinstance(rng.bit_generator, np.random.SFC64)
    expected = np.random.SFC64(np.random.SeedSequence(entropy=list(key), spawn_key=(5,)))
    np.testing.assert_array_equal(rng.random(10), np.random.Generator(expected).random(10))
    neighbour = (key[0], key[1] + 1)
    for other in (block_generator(key, 6), block_generator(neighbour, 5)):
        assert not np.array_equal(block_generator(key, 5).random(10), other.random(10))


def test_beta_and_pert_are_drawn_by_inversion_of_the_blocks_uniforms() -> None:
    key = stream_key(1, "x", None)
    for dist in (Pert(10, 12, 20), Beta(20, 17), Beta(1, 5)):
        assert tabulated(dist)
        uniforms = block_generator(key, 2).random(BLOCK)
        np.testing.assert_array_equal(
            draw_range(key, 2 * BLOCK, 3 * BLOCK, dist), quantiles(dist, uniforms)
        )


@pytest.mark.parametrize("dist", [Beta(0.5, 0.7), Triangular(0, 1, 3), Gamma(10, 5)])
def test_other_margins_use_numpys_sampler_on_the_block(dist: Distribution) -> None:
    key = stream_key(1, "x", None)
    assert not tabulated(dist)
    expected = dist.sample(block_generator(key, 0), 100)
    np.testing.assert_array_equal(draw_range(key, 0, 100, dist), expected)


def test_a_beta_whose_table_cannot_be_trusted_is_drawn_by_numpy() -> None:
    # scipy's betaincinv is far wrong for Beta(1000, 1e9) above its median; a
    # table built on it drew values up to 1e102 for a probability.
    dist = Beta.from_counts(1000, 1e9)
    assert beta_table(dist.alpha, dist.beta) is None
    assert not tabulated(dist)
    key = stream_key(1, "x", None)
    draws = draw_range(key, 0, 1000, dist)
    np.testing.assert_array_equal(draws, dist.sample(block_generator(key, 0), 1000))
    assert np.all((draws > 0) & (draws < 1e-5))  # mean 1e-6, sd 3e-8
    # Quasi-random samplers read its quantiles, solved against its CDF
    # (tests/test_distributions.py works out this 5th percentile).
    assert quantiles(dist, np.array([0.05]))[0] == pytest.approx(9.4855e-7, rel=2e-5)


def test_a_quantile_that_rounds_to_1_is_flat_in_the_table() -> None:
    # Beta(1e12, 1) (counts of 1e12 in 1e12 + 1): the nodes above about
    # 1 - 4e-12 are exactly 1, with no finite slope; the table read NaN there.
    dist = Beta(1e12, 1)
    assert tabulated(dist)
    x = quantiles(dist, 1 - np.geomspace(1e-16, 1e-9, 200))
    assert np.all((x > 0.99999) & (x <= 1))


@pytest.mark.parametrize("dist", [Pert(0, 600, 1500), Pert(1, 1, 2), Beta(20, 17)])
def test_drawn_margins_are_the_distribution(dist: Pert | Beta) -> None:
    """200,000 draws pass a Kolmogorov-Smirnov test against the exact CDF (a
    quantile error of 1e-6 of the range is far below what this can see; a
    wrong shape or scale is not)."""
    draws = draw_range(stream_key(11, "x", "y"), 0, 200_000, dist)
    unit = (draws - dist.low) / (dist.high - dist.low) if isinstance(dist, Pert) else draws
    result = stats.kstest(unit, stats.beta(dist.alpha, dist.beta).cdf)
    assert result.pvalue > 1e-3, result


def test_an_exact_zero_reads_the_first_node_without_warnings() -> None:
    table = beta_table(2.0, 3.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        edges = table(np.array([0.0, 1 - 2.0**-53]))
    first, last = special.betaincinv(2.0, 3.0, special.expit([-28.5, 28.5]))
    np.testing.assert_allclose(edges, [first, last], rtol=1e-9)


def test_first_draws_of_a_block_do_not_depend_on_how_many() -> None:
    key = stream_key(4, "x", None)
    for draw in (Pert(0, 1, 4), Gamma(3, 1), "normal"):
        full = block_values(block_generator(key, 0), 1000, draw)
        np.testing.assert_array_equal(block_values(block_generator(key, 0), 7, draw), full[:7])


# --------------------------------------------------------------------------- shared groups


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Record every correlated-group draw as ``(start, stop)``."""
    calls: list[tuple[int, int]] = []
    original = ScenarioSampler._correlated

    def counted(
        self: ScenarioSampler, group: CopulaGroup, start: int, stop: int
    ) -> dict[str, np.ndarray]:
        calls.append((start, stop))
        return original(self, group, start, stop)

    monkeypatch.setattr(ScenarioSampler, "_correlated", counted)
    return calls


def test_a_group_of_shared_values_is_drawn_once_per_chunk(
    sites: list[sroi.Scenario], monkeypatch: pytest.MonkeyPatch
) -> None:
    samplers = [ScenarioSampler.build(s, 6) for s in sites]
    groups = {g.paths for s in samplers for g in s.groups}
    assert len(groups) == 1, "the bundled sites share one correlated group"
    group = next(iter(groups))
    assert all(s.params[p].shared for s in samplers for p in group)

    calls = _counting(monkeypatch)
    shared: SharedDraws = {}
    draws = [s.draws(100, 900, shared) for s in samplers]
    assert calls == [(100, 900)]
    for other in draws[1:]:
        for path in group:
            assert other[path] is draws[0][path]
    # The same draws as a scenario drawn on its own.
    alone = samplers[2].draws(100, 900)
    for path in group:
        np.testing.assert_array_equal(alone[path], draws[0][path])


def test_a_run_draws_the_shared_group_once_per_chunk(
    sites: list[sroi.Scenario], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting(monkeypatch)
    run_draws(RunPlan.build(sites, 2), 2 * BLOCK + 10)
    assert calls == [(0, BLOCK), (BLOCK, 2 * BLOCK), (2 * BLOCK, 2 * BLOCK + 10)]


def test_a_group_with_other_correlations_is_drawn_for_itself(
    sites: list[sroi.Scenario], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scenario that correlates the same shared values differently gets
    its own draw of the group, not the cached one."""
    base = sites[0]
    weaker = [c.model_copy(update={"rank": 0.5}) for c in base.correlations]
    other = base.model_copy(update={"id": "other", "correlations": weaker})
    calls = _counting(monkeypatch)
    shared: SharedDraws = {}
    a = ScenarioSampler.build(base, 1).draws(0, 500, shared)
    b = ScenarioSampler.build(other, 1).draws(0, 500, shared)
    assert len(calls) == 2
    first, second = ScenarioSampler.build(base, 1).groups[0].paths[:2]
    np.testing.assert_array_equal(a[first], b[first])  # the first value never moves
    assert not np.array_equal(a[second], b[second])


RANK_KEEPING = [
    (Pert(6, 10, 15), Pert(15, 24, 35)),
    (Beta(2, 5), Pert(0, 1, 1)),
    (Uniform(0, 1), Uniform(5, 50)),
    (Triangular(0, 1, 3), Triangular(10, 30, 31)),
    (Normal(0, 1), Normal(5, 3)),
    (Normal(0, 1, min=-1), Normal(5, 3, min=0, max=20)),
    (LogNormal(1, 0.5), Range90(10, 400)),
]


@pytest.mark.parametrize(("first", "second"), RANK_KEEPING, ids=lambda d: type(d).__name__)
def test_one_stream_through_two_distributions_keeps_its_ranks(
    first: Distribution, second: Distribution
) -> None:
    """Common random numbers for a value that two scenarios (or two sweep
    designs) give different distributions: the draws have the same ranks."""
    key = stream_key(8, "volunteers.pool", None)
    a, b = draw_range(key, 0, 3000, first), draw_range(key, 0, 3000, second)
    np.testing.assert_array_equal(np.argsort(a, kind="stable"), np.argsort(b, kind="stable"))


def test_a_normal_far_below_its_bounds_draws_its_spread_in_a_scenario(tmp_path: Path) -> None:
    """uptake 1e12 sd below [0, 1]: about exponential from 0 with mean 1e-12.
    Drawn as mean + sd z, every draw was 1.22e-4, the float spacing at 1e12."""
    far = "uptake: {normal: {mean: -1e12, sd: 1, min: 0, max: 1}}"
    text = TOY_A.replace("uptake: {uniform: [0.5, 0.8], evidence: assumption}", far)
    assert far in text
    path = tmp_path / "far.yaml"
    path.write_text(text, encoding="utf-8")
    uptake = ScenarioSampler.build(load_scenario(path), 3).draws(0, 20_000)["delivery.uptake"]
    assert np.unique(uptake).size == uptake.size
    assert np.all((uptake >= 0) & (uptake < 5e-11))
    # An exponential's sample mean has relative standard error 1/sqrt(n) = 0.7%.
    assert uptake.mean() == pytest.approx(1e-12, rel=0.03)
    assert np.median(uptake) == pytest.approx(math.log(2) * 1e-12, rel=0.03)
