"""The ``sobol`` and ``lhs`` samplers: points, margins, reproducibility, and
the sampler named in every header."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import special, stats
from scipy.stats import qmc

import sroi
from sroi.distributions import Beta, Pert
from sroi.engine.runner import RunPlan, run_draws
from sroi.sampling.inverse import beta_table, quantiles
from sroi.sampling.quasi import (
    BATCH,
    direction_numbers,
    lhs_points,
    sobol_dimensions,
    sobol_points,
)
from sroi.sampling.sampler import ScenarioSampler
from sroi.sampling.streams import BLOCK
from sroi.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
FAMILY = ROOT / "scenarios" / "family_action_pss"
SITES = sorted(p for p in FAMILY.glob("*.yaml") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def sites() -> list[sroi.Scenario]:
    return [load_scenario(p) for p in SITES]


# --------------------------------------------------------------------------- points


@pytest.mark.parametrize("m", [3, 7])
def test_direction_numbers_give_scipys_unscrambled_points(m: int) -> None:
    """Natural-order points from the table are scipy's first 2^m points
    (Gray-code order: the same set)."""
    d = 6
    table = direction_numbers()[:d].astype(np.uint64)
    index = np.arange(2**m, dtype=np.uint64)
    ours = np.zeros((2**m, d), dtype=np.uint64)
    for k in range(m):
        ours ^= np.where(((index >> np.uint64(k)) & np.uint64(1))[:, None], table[:, k], 0)
    theirs = qmc.Sobol(d, scramble=False, bits=32).random_base2(m) * 2.0**32
    key = lambda a: sorted(map(tuple, np.asarray(a, dtype=np.float64).tolist()))  # noqa: E731
    assert key(ours) == key(theirs)


@pytest.mark.parametrize("m", [1, 4, 10])
def test_every_aligned_run_of_sobol_points_is_stratified(m: int) -> None:
    """Scrambling keeps the net property: each aligned run of 2^m points of a
    column has one point in each of 2^m equal intervals."""
    u = sobol_points((11, 22), 17, 0, 4 * 2**m)
    for block in u.reshape(4, 2**m):
        assert sorted((block * 2**m).astype(int).tolist()) == list(range(2**m))
    assert (u > 0).all() and (u < 1).all()


def test_sobol_points_are_addressable_and_keyed() -> None:
    whole = sobol_points((1, 2), 5, 0, 5000)
    np.testing.assert_array_equal(sobol_points((1, 2), 5, 1234, 4321), whole[1234:4321])
    assert not np.array_equal(sobol_points((1, 3), 5, 0, 5000), whole)  # another scramble
    # Two columns of one run are nearly uncorrelated.
    other = sobol_points((7, 8), 9, 0, 5000)
    assert abs(np.corrcoef(whole, other)[0, 1]) < 0.05


def test_lhs_points_one_per_stratum_per_batch() -> None:
    u = lhs_points((3, 4), 0, 2 * BLOCK)
    for batch in u.reshape(-1, BATCH):
        assert np.array_equal(np.sort((batch * BATCH).astype(int)), np.arange(BATCH))
    np.testing.assert_array_equal(
        lhs_points((3, 4), BLOCK - 5, BLOCK + 7), u[BLOCK - 5 : BLOCK + 7]
    )


def test_dimensions_come_from_keys_not_their_order() -> None:
    keys = {(i * 7919, i * 104729) for i in range(200)}
    dims = sobol_dimensions(keys)
    assert len(set(dims.values())) == len(keys)
    # Without collisions, a subset of keys keeps its dimensions.
    sub = set(list(sorted(keys))[::3])
    assert all(
        dims[k] == d for k, d in sobol_dimensions(sub).items() if list(dims.values()).count(d) == 1
    )
    assert sobol_dimensions(set(sorted(keys, reverse=True))) == dims


# --------------------------------------------------------------------------- margins


def test_beta_table_within_its_error_bound() -> None:
    """Documented bound: |table - betaincinv| <= 1e-6 over u in [1e-9, 1 - 1e-9]
    for shapes >= 1 (measured below 1e-9), including very concentrated ones."""
    rng = np.random.default_rng(5)
    tails = np.geomspace(1e-9, 0.5, 4000)
    u = np.concatenate([tails, 1 - tails, rng.random(4000)])
    shapes = [(1.0, 1.0), (1.0, 5.0), (5.0, 1.0), (1.0001, 3.0), (120.0, 150.0)]
    shapes += [(1000.0, 3000.0), (1e4, 1e4), (1.0, 1e4)]
    shapes += [tuple(x) for x in rng.uniform(1, 30, size=(10, 2))]
    for a, b in shapes:
        error = np.abs(beta_table(a, b)(u) - special.betaincinv(a, b, u)).max()
        assert error <= 1e-6, (a, b, error)


def test_quantiles_scale_pert_and_fall_back_for_small_shapes() -> None:
    u = np.array([1e-6, 0.3, 0.999])
    pert = Pert(10, 12, 20)
    np.testing.assert_allclose(quantiles(pert, u), pert.ppf(u), atol=1e-5)
    small = Beta(0.5, 0.7)  # shape below 1: the exact inverse CDF
    np.testing.assert_array_equal(quantiles(small, u), small.ppf(u))


@pytest.mark.parametrize("method", ["sobol", "lhs"])
def test_margins_match_their_distributions(sites: list[sroi.Scenario], method: str) -> None:
    plan = RunPlan.build(sites[:1], 3, method)
    sampler = plan.samplers[0]
    draws = sampler.draws(0, 4096)
    for path in sampler.uncertain_paths()[:12]:
        dist = sampler.params[path].distribution
        grid = np.linspace(0.01, 0.99, 99)
        expected = dist.ppf(grid)
        found = np.quantile(draws[path], grid)
        spread = dist.ppf(0.99) - dist.ppf(0.01)
        assert np.abs(found - expected).max() < 0.02 * spread, path


def test_correlations_are_applied_under_sobol(sites: list[sroi.Scenario]) -> None:
    plan = RunPlan.build(sites[:1], 1, "sobol")
    sampler = plan.samplers[0]
    group = sampler.groups[0]
    draws = sampler.draws(0, BLOCK)
    a, b = group.paths[:2]
    rho = stats.spearmanr(draws[a], draws[b]).statistic
    target = next(c.rank for c in sites[0].correlations if set(c.between) == {a, b})
    assert abs(rho - target) < 0.05


# --------------------------------------------------------------------------- runs


def test_random_is_the_default_and_unchanged(sites: list[sroi.Scenario]) -> None:
    default = ScenarioSampler.build(sites[0], 2).draws(0, 300)
    named = RunPlan.build(sites[:1], 2, "random").samplers[0].draws(0, 300)
    assert default.keys() == named.keys()
    for path, v in default.items():
        np.testing.assert_array_equal(v, named[path])


@pytest.mark.parametrize("method", ["sobol", "lhs"])
def test_quasi_runs_are_invariant_to_chunks_workers_and_order(
    sites: list[sroi.Scenario], method: str
) -> None:
    draws = BLOCK + 300
    one = run_draws(RunPlan.build(sites, 7, method), draws)
    other = run_draws(RunPlan.build(sites[::-1], 7, method), draws, chunk_size=1000, workers=2)
    for name, metrics in one.stored.items():
        for k, v in metrics.items():
            np.testing.assert_array_equal(v, other.stored[name][k], err_msg=f"{name} {k}")
    again = run_draws(RunPlan.build(sites, 8, method), draws)
    assert not np.array_equal(
        again.stored["programme"]["sroi_ratio"], one.stored["programme"]["sroi_ratio"]
    )


def test_adding_a_scenario_does_not_move_anothers_sobol_draws(sites: list[sroi.Scenario]) -> None:
    alone = RunPlan.build(sites[:1], 0, "sobol").samplers[0]
    together = RunPlan.build(sites, 0, "sobol").samplers[0]
    assert alone.dimensions == together.dimensions
    a, b = alone.draws(0, 500), together.draws(0, 500)
    for path in alone.uncertain_paths():
        np.testing.assert_array_equal(a[path], b[path])


def test_sobol_mean_settles_faster_than_random(sites: list[sroi.Scenario]) -> None:
    """Across seeds, the Sobol' mean SROI ratio of 2^12 draws varies less."""

    def spread(method: str) -> float:
        means = [
            run_draws(RunPlan.build(sites[:1], s, method), 4096)
            .stored["programme"]["sroi_ratio"]
            .mean()
            for s in range(6)
        ]
        return float(np.std(means))

    assert spread("sobol") < 0.6 * spread("random")


def test_api_names_the_sampler_and_refuses_unknown_ones() -> None:
    results = sroi.run(SITES[0], draws=64, seed=1, sampler="lhs")
    assert results.run.sampler == "lhs"
    assert json.loads(results.to_json())["sampler"] == "lhs"
    with pytest.raises(ValueError, match="sampler must be one of random, sobol, lhs"):
        sroi.run(SITES[0], draws=64, sampler="halton")


def test_cli_names_the_sampler_in_headers() -> None:
    def sroi_cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sroi", *args], cwd=ROOT, capture_output=True, text=True
        )

    text = sroi_cli("run", str(SITES[0]), "--draws", "64", "--sampler", "sobol")
    assert text.returncode == 0 and "| 64 draws (sobol) |" in text.stdout.splitlines()[0]
    compared = sroi_cli(
        "compare", *map(str, SITES[:2]), "--draws", "64", "--sampler", "lhs", "--json"
    )
    assert json.loads(compared.stdout)["sampler"] == "lhs"
    bad = sroi_cli("run", str(SITES[0]), "--sampler", "halton")
    assert bad.returncode == 2 and "invalid choice: 'halton'" in bad.stderr
