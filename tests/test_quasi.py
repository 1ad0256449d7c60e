"""The ``sobol`` and ``lhs`` samplers: points, margins, reproducibility, and
the sampler named in every header."""

from __future__ import annotations

import hashlib
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
from sroi.sampling.sobol_screened import SCREENED, K
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
    assert len(set(dims.values())) == len(keys) and set(dims.values()) <= set(SCREENED)
    assert sobol_dimensions(set(sorted(keys, reverse=True))) == dims
    # A key keeps its dimension in a subset of the keys unless another key
    # took its place in the full set: only collisions move a dimension.
    preferred = {k: _preferred(k) for k in keys}
    sub = set(sorted(keys)[::3])
    moved = [k for k, d in sobol_dimensions(sub).items() if d != dims[k]]
    for k in moved:
        assert any(preferred[o] == preferred[k] for o in keys - {k}), k
    assert len(moved) < len(sub) // 3


def test_more_values_than_screened_dimensions_take_the_others() -> None:
    keys = {(i, 3 * i + 1) for i in range(len(SCREENED) + 40)}
    with pytest.warns(UserWarning, match="40 of them, past the 517 screened dimensions"):
        dims = sobol_dimensions(keys)
    assert len(set(dims.values())) == len(keys)
    ordered = sorted(keys)
    assert {dims[k] for k in ordered[: len(SCREENED)]} == set(SCREENED)
    assert not {dims[k] for k in ordered[len(SCREENED) :]} & set(SCREENED)


def _preferred(key: tuple[int, int]) -> int:
    """The place among the screened dimensions that ``key``'s hash prefers."""
    digest = hashlib.blake2b(f"{key[0]}:{key[1]}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") % len(SCREENED)


def test_no_two_screened_dimensions_tie_their_top_bits() -> None:
    """The screen's condition, rechecked for every pair: over the first K
    columns, the top-three-row spans meet only in 0, and no top row lies in
    another's top-four-row span (tools/screen_sobol_dimensions.py)."""
    table = direction_numbers()[list(SCREENED), :K].astype(np.int64)
    rows = [
        [sum(((int(v) >> (31 - a)) & 1) << k for k, v in enumerate(t)) for a in range(4)]
        for t in table
    ]
    seen3: dict[int, int] = {}
    for i, r in enumerate(rows):
        for v in _span(r[:3]):
            assert v not in seen3, (SCREENED[i], SCREENED[seen3[v]])
            seen3[v] = i
    tops = {r[0]: i for i, r in enumerate(rows)}
    for i, r in enumerate(rows):
        assert all(tops.get(v, i) == i for v in _span(r)), SCREENED[i]


def _span(vectors: list[int]) -> set[int]:
    out = {0}
    for v in vectors:
        out |= {x ^ v for x in out}
    return out - {0}


def test_screened_columns_do_not_correlate_whatever_their_scrambles() -> None:
    # 160 screened dimensions with random keys (so random scrambles): every
    # pair's correlation over 2^K and 2^(K+1) points is within 0.047, the
    # tie of bit 2 with bit 3 at most, as large as random sampling's largest.
    rng = np.random.default_rng(5)
    dims = rng.choice(SCREENED, 160, replace=False)
    n = 2 ** (K + 1)
    points = np.array(
        [sobol_points((int(rng.integers(2**32)), j), int(d), 0, n) for j, d in enumerate(dims)]
    ).T
    for m in (n // 2, n):
        x = points[:m] - points[:m].mean(axis=0)
        x /= x.std(axis=0)
        r = np.abs(x.T @ x / m)[np.triu_indices(dims.size, 1)]
        assert r.max() <= 0.047 + 1e-3, m


def test_a_programme_run_holds_no_spurious_correlation(sites: list[sroi.Scenario]) -> None:
    """The four sites' 183 values in a Sobol' run: before the screen, nine
    pairs of inputs (the coordinator's salary and volunteer travel, the
    volunteer pool and the risk without the service, ...) correlated at
    0.75 over 16,384 draws."""
    plan = RunPlan.build(sites, 0, "sobol")
    columns = sorted({(s.dimensions[p], k) for s in plan.samplers for p, k in s.keys.items()})
    n = 2**14
    points = np.array([sobol_points(k, d, 0, n) for d, k in columns]).T
    points -= points.mean(axis=0)
    points /= points.std(axis=0)
    r = np.abs(points.T @ points / n)[np.triu_indices(len(columns), 1)]
    assert r.max() <= 0.047 + 1e-3


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


def test_adding_scenarios_moves_anothers_sobol_draws_only_on_collisions(
    sites: list[sroi.Scenario],
) -> None:
    alone = RunPlan.build(sites[:1], 0, "sobol").samplers[0]
    plan = RunPlan.build(sites, 0, "sobol")
    together = plan.samplers[0]
    place = {d: i for i, d in enumerate(SCREENED)}
    held_by_others = {
        place[s.dimensions[p]]
        for s in plan.samplers[1:]
        for p, k in s.keys.items()
        if k not in alone.keys.values()
    }
    a, b = alone.draws(0, 500), together.draws(0, 500)
    moved = [p for p in alone.uncertain_paths() if alone.dimensions[p] != together.dimensions[p]]
    for path in alone.uncertain_paths():
        if path in moved:
            # Another site's value holds a place between the one this
            # value's key prefers and the one it has alone.
            first, own = _preferred(alone.keys[path]), place[alone.dimensions[path]]
            size = len(SCREENED)
            between = {(first + i) % size for i in range((own - first) % size + 1)}
            assert between & held_by_others, path
        else:
            np.testing.assert_array_equal(a[path], b[path])
    # Seed 0: 8 of Hackney's 73 values move when the other sites join it.
    assert len(moved) < len(alone.dimensions) // 4


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


@pytest.mark.parametrize(
    ("args", "warned"),
    [
        (["--draws", "10000"], True),
        (["--draws", "16384"], False),
        (["--draws", "24576"], False),
        (["--draws", "100000", "--precision", "0.05"], False),
    ],
)
def test_a_sobol_run_off_a_whole_number_of_nets_says_so(
    capsys: pytest.CaptureFixture[str], args: list[str], warned: bool
) -> None:
    from sroi.cli.main import main

    assert main(["run", str(SITES[0]), "--sampler", "sobol", *args]) == 0
    err = capsys.readouterr().err
    assert ("values are kept uncorrelated over multiples of 8,192 draws" in err) == warned


def test_the_screened_table_is_what_the_tool_writes() -> None:
    """sroi/sampling/sobol_screened.py is tools/screen_sobol_dimensions.py's
    output, not hand-edited: the screen reproduces it (about 2 s)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "screen_sobol_dimensions", ROOT / "tools" / "screen_sobol_dimensions.py"
    )
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.K == K
    assert tuple(tool.screen()) == SCREENED


def test_the_command_line_shows_a_warning_as_its_own(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import argparse
    import warnings

    from sroi.cli import validate_cmd
    from sroi.cli.main import main

    def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
        warnings.warn("something to know", stacklevel=1)
        return 0

    monkeypatch.setattr(validate_cmd, "run", run)
    assert main(["validate", str(SITES[0])]) == 0
    assert capsys.readouterr().err == "sroi: warning: something to know\n"


def test_the_api_warns_of_a_sobol_run_off_a_whole_number_of_nets() -> None:
    import warnings

    with pytest.warns(UserWarning, match="a Sobol' run of 1,000 draws: values are kept"):
        sroi.run(SITES[0], draws=1000, sampler="sobol")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sroi.run(SITES[0], draws=8192, sampler="sobol")
        sroi.run(SITES[0], draws=1000, sampler="lhs")
        sroi.run(SITES[0], draws=20_000, sampler="sobol", precision=0.05)
