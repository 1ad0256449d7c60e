"""The Monte Carlo engine: fixed values, expectations, reproducibility (docs/methodology.md §11),
rank correlation, and programme totals (docs/methodology.md §7)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import sroi
from sroi.distributions import Pert
from sroi.engine.metrics import ADDITIVE, SPLIT_METRICS
from sroi.sampling.parameters import parameters
from sroi.sampling.sampler import ScenarioSampler
from sroi.sampling.streams import BLOCK, draw_range, stream_key
from sroi.scenario import load_scenario
from sroi.scenario.discover import scenario_files

ROOT = Path(__file__).resolve().parents[1]
FAMILY = ROOT / "scenarios" / "family_action_pss"
CASES = Path(__file__).parent / "cases"
HAND = sorted(p for p in CASES.glob("*.yaml") if not p.name.endswith(".expected.yaml"))

# A scenario whose users and cost_total are sums of products of independent
# inputs (no capacity cap, no correlations), each input with a different margin.
LINEAR = """\
schema_version: 1
id: {id}
name: Linear {id}
currency: GBP
price_year: 2011
delivery:
  years: 3
  referrals_per_year: {{pert: [20, 30, 50]}}
  ramp: [0.5, 1, 1.5]
  uptake: {{beta: {{successes: 24, trials: 37}}}}
  engagement: {{triangular: [0.4, 0.6, 0.9]}}
volunteers:
  pool: {{uniform: [8, 12]}}
  turnover: {{pert: [0.2, 0.4, 0.7]}}
  hours_per_user: {{gamma: {{mean: 40, sd: 10}}}}
  training_hours: {{normal: {{mean: 27, sd: 3, min: 20, max: 30}}}}
  supervision_hours_per_year: {{range90: [10, 30]}}
  expenses_per_hour: {{lognormal: {{mean: 2.5, sd: 0.8}}}}
  value_per_hour: {{uniform: [6, 12]{shared}}}
costs:
  coordinator:
    fte: {{pert: [0.5, 0.6, 1]}}
    salary: {{lognormal: {{mean: 25000, sd: 3000}}}}
    on_costs: {{uniform: [0.12, 0.25]}}
  lines:
    rent: {{label: Rent, amount: {{triangular: [800, 1000, 1500]}}, per: year}}
    leaflets: {{label: Leaflets, amount: {{uniform: [1, 3]}}, per: referral}}
    packs: {{label: Packs, amount: {{gamma: {{mean: 5, sd: 1}}}}, per: user}}
    insurance: {{label: Insurance, amount: {{pert: [40, 50, 70]}}, per: volunteer}}
    checks:
      label: Checks
      amount: {{normal: {{mean: 40, sd: 5, min: 0}}}}
      per: volunteer_recruited
    setup: {{label: Set-up, amount: {{range90: [1000, 3000]}}, per: once}}
  overhead_rate: {{beta: {{mean: 0.1, sd: 0.03}}}}
  optimism_bias: {{pert: [0, 0.1, 0.4]}}
effect:
  risk_without: {{beta: {{mean: 0.3, sd: 0.05}}}}
  relative_risk: {{pert: [0.4, 0.6, 0.9]}}
outcomes:
  care:
    label: Care avoided
    stakeholder: NHS
    payer: nhs
    value_type: fiscal
    per: case_averted
    proxy: {{gamma: {{mean: 3000, sd: 800}}}}
    duration: {{uniform: [1, 2.5]}}
    lag: 1
{correlations}"""


def write_linear(folder: Path, sid: str, *, shared: bool = False, correlations: str = "") -> Path:
    path = folder / f"{sid}.yaml"
    text = LINEAR.format(
        id=sid, shared=", shared: true" if shared else "", correlations=correlations
    )
    path.write_text(text, encoding="utf-8")
    return path


def family_files(*names: str) -> list[Path]:
    return [FAMILY / f"{n}.yaml" for n in names]


# --------------------------------------------------------------------------- fixed values


@pytest.mark.parametrize("path", HAND, ids=lambda p: p.stem)
def test_fixed_values_draw_the_base_case_exactly(path: Path) -> None:
    """Every value fixed: every draw of every metric equals the base case (==)."""
    draws = 300
    results = sroi.run(path, draws=draws, chunk_size=128)
    sid = results.scenarios[0].id
    for name in (sid, "programme"):
        for metric, base in results.base[name].items():
            got = results.metric(metric, name)
            assert got.shape == (draws,), f"{name} {metric}: {got.shape} draws, not {draws}"
            want = np.full(draws, base[0])
            assert np.array_equal(got, want, equal_nan=True), f"{name} {metric}"
            summary = results.summaries(name)[metric]
            if not math.isnan(base[0]):
                # Averaging identical numbers may round in the last place.
                assert summary["mean"] == pytest.approx(base[0], rel=1e-12, abs=1e-12), metric
                assert summary["p5"] == summary["p95"] == base[0], f"{name} {metric}"
                assert summary["sd"] <= 1e-9 * max(abs(base[0]), 1.0), f"{name} {metric} sd"


def test_fixed_scenario_beside_an_uncertain_one(tmp_path: Path) -> None:
    """A fixed scenario in a run with an uncertain one still has one value per
    draw, equal to its base case, and the programme adds it draw by draw."""
    uncertain = write_linear(tmp_path, "linear")
    draws = 500
    results = sroi.run([CASES / "hand_a.yaml", uncertain], draws=draws, chunk_size=200)
    for metric, base in results.base["hand_a"].items():
        got = results.metric(metric, "hand_a")
        assert np.array_equal(got, np.full(draws, base[0]), equal_nan=True), metric
    programme = results.metric("cost_total")
    assert np.array_equal(
        programme,
        results.base_value("cost_total", "hand_a") + results.metric("cost_total", "linear"),
    )


# --------------------------------------------------------------------------- expectations


def test_linear_metrics_means_match_their_expectation(tmp_path: Path) -> None:
    """users and cost_total are sums of products of independent inputs, so
    their expectations are the same sums of products of the inputs' means."""
    path = write_linear(tmp_path, "linear")
    m = {p: v.distribution.mean() for p, v in parameters(load_scenario(path)).items()}
    ramp = 0.5 + 1 + 1.5
    years = 3
    referrals = m["delivery.referrals_per_year"] * ramp
    users = referrals * m["delivery.uptake"]
    pool = m["volunteers.pool"]
    recruited = pool * (1 + (years - 1) * m["volunteers.turnover"])
    contact_hours = users * m["volunteers.hours_per_user"]
    c = "costs.coordinator"
    lines = "costs.lines"
    cash = (
        years * m[f"{c}.fte"] * m[f"{c}.salary"] * (1 + m[f"{c}.on_costs"])
        + years * m[f"{lines}.rent.amount"]
        + referrals * m[f"{lines}.leaflets.amount"]
        + users * m[f"{lines}.packs.amount"]
        + years * pool * m[f"{lines}.insurance.amount"]
        + recruited * m[f"{lines}.checks.amount"]
        + m[f"{lines}.setup.amount"]
        + contact_hours * m["volunteers.expenses_per_hour"]
    ) * ((1 + m["costs.overhead_rate"]) * (1 + m["costs.optimism_bias"]))
    hours = (
        contact_hours
        + recruited * m["volunteers.training_hours"]
        + years * pool * m["volunteers.supervision_hours_per_year"]
    )
    expected = {"users": users, "cost_total": cash + hours * m["volunteers.value_per_hour"]}

    draws = 20_000
    results = sroi.run(path, draws=draws, seed=3)
    for metric, want in expected.items():
        x = results.metric(metric, "linear")
        assert x.size == draws
        se = float(np.std(x, ddof=1)) / math.sqrt(draws)
        assert se > 0
        z = (float(np.mean(x)) - want) / se
        assert abs(z) < 4, f"{metric}: mean {np.mean(x):.6g}, expected {want:.6g}, z = {z:.2f}"
        # The summary reports the same mean and se.
        summary = results.summaries("linear")[metric]
        assert summary["mean"] == pytest.approx(np.mean(x), rel=1e-12)
        assert summary["se"] == pytest.approx(se, rel=1e-9)


# --------------------------------------------------------------------------- reproducibility

REPRO_DRAWS = 20_000  # more than one stream block (BLOCK = 16,384)
REPRO_SEED = 11


def assert_identical(a: sroi.Results, b: sroi.Results) -> None:
    """Per-draw metrics of every scenario and the programme bit for bit, and
    the JSON document character for character."""
    assert a.names == b.names
    for name in a.names:
        assert set(a.base[name]) == set(b.base[name])
        for metric in a.base[name]:
            x, y = a.metric(metric, name), b.metric(metric, name)
            assert x.shape == y.shape == (a.draws,), (name, metric)
            assert np.array_equal(x, y, equal_nan=True), f"{name} {metric} differs"
    assert a.to_json() == b.to_json()


@pytest.fixture(scope="module")
def reference() -> sroi.Results:
    files = family_files("hackney", "oxford")
    return sroi.run(files, draws=REPRO_DRAWS, seed=REPRO_SEED, chunk_size=REPRO_DRAWS)


@pytest.mark.slow
@pytest.mark.parametrize("chunk_size", [1000, 8192])
def test_chunk_size_does_not_change_draws(reference: sroi.Results, chunk_size: int) -> None:
    files = family_files("hackney", "oxford")
    other = sroi.run(files, draws=REPRO_DRAWS, seed=REPRO_SEED, chunk_size=chunk_size)
    assert_identical(reference, other)


def test_workers_do_not_change_draws(reference: sroi.Results) -> None:
    files = family_files("hackney", "oxford")
    other = sroi.run(files, draws=REPRO_DRAWS, seed=REPRO_SEED, chunk_size=5000, workers=2)
    assert_identical(reference, other)


def test_scenario_order_does_not_change_draws(reference: sroi.Results) -> None:
    files = family_files("oxford", "hackney")
    other = sroi.run(files, draws=REPRO_DRAWS, seed=REPRO_SEED)
    assert [s.id for s in other.scenarios] == ["hackney", "oxford"]
    assert_identical(reference, other)


def test_same_seed_same_draws_other_seed_other_draws(reference: sroi.Results) -> None:
    files = family_files("hackney", "oxford")
    again = sroi.run(files, draws=REPRO_DRAWS, seed=REPRO_SEED, chunk_size=REPRO_DRAWS)
    assert_identical(reference, again)
    other = sroi.run(files, draws=REPRO_DRAWS, seed=REPRO_SEED + 1)
    for metric in ("users", "cost_total", "value_pv", "sroi_ratio"):
        x, y = reference.metric(metric, "oxford"), other.metric(metric, "oxford")
        assert np.mean(x == y) < 0.01, f"{metric}: a different seed repeats the draws"
    assert reference.to_json() != other.to_json()


def test_a_shared_value_draws_the_same_in_every_scenario(tmp_path: Path) -> None:
    a = load_scenario(write_linear(tmp_path, "site_a", shared=True))
    b = load_scenario(write_linear(tmp_path, "site_b", shared=True))
    xa = ScenarioSampler.build(a, 5).draws(0, 2000)
    xb = ScenarioSampler.build(b, 5).draws(0, 2000)
    np.testing.assert_array_equal(xa["volunteers.value_per_hour"], xb["volunteers.value_per_hour"])
    # Same distribution but not shared: drawn independently per scenario.
    for path in ("volunteers.hours_per_user", "delivery.uptake", "costs.coordinator.salary"):
        assert not np.any(xa[path] == xb[path]), path
        assert abs(stats.spearmanr(xa[path], xb[path])[0]) < 0.1, path
    # A different seed draws the shared value afresh.
    xc = ScenarioSampler.build(a, 6).draws(0, 2000)
    assert not np.any(xa["volunteers.value_per_hour"] == xc["volunteers.value_per_hour"])


def test_shared_values_in_the_bundled_sites_agree() -> None:
    """In the bundled pilot sites every shared value (some of them correlated
    with each other) draws identically; a non-shared value with the same
    distribution in two sites does not."""
    oxford, hackney = (load_scenario(p) for p in family_files("oxford", "hackney"))
    xo = ScenarioSampler.build(oxford, 0).draws(100, 1100)
    xh = ScenarioSampler.build(hackney, 0).draws(100, 1100)
    po, ph = parameters(oxford), parameters(hackney)
    shared = [p for p, v in po.items() if v.shared and v.uncertain]
    assert shared
    for path in shared:
        np.testing.assert_array_equal(xo[path], xh[path], err_msg=path)
    same_not_shared = [
        p
        for p, v in po.items()
        if v.uncertain and not v.shared and p in ph and ph[p].distribution == v.distribution
    ]
    assert same_not_shared
    for path in same_not_shared:
        assert not np.array_equal(xo[path], xh[path]), path


def test_a_shared_value_is_the_same_whether_or_not_correlated(tmp_path: Path) -> None:
    corr = (
        "correlations:\n"
        "  - {between: [volunteers.value_per_hour, volunteers.hours_per_user], rank: 0.5}\n"
    )
    a = load_scenario(write_linear(tmp_path, "site_a", shared=True, correlations=corr))
    b = load_scenario(write_linear(tmp_path, "site_b", shared=True))
    xa = ScenarioSampler.build(a, 5).draws(0, 500)
    xb = ScenarioSampler.build(b, 5).draws(0, 500)
    np.testing.assert_array_equal(xa["volunteers.value_per_hour"], xb["volunteers.value_per_hour"])


RANGES = [
    (0, 1),
    (0, 10),
    (7, 300),
    (BLOCK - 5, BLOCK),
    (BLOCK - 1, BLOCK + 1),
    (BLOCK - 100, BLOCK + 100),
    (BLOCK, BLOCK + 3),
    (BLOCK + 17, 2 * BLOCK + 5),
    (3, 2 * BLOCK + 50),
]


def test_stream_ranges_equal_slices_of_longer_requests() -> None:
    key = stream_key(9, "volunteers.hours_per_user", "site")
    for draw in (Pert(15, 40, 90), "normal"):
        full = draw_range(key, 0, 2 * BLOCK + 100, draw)
        assert full.shape == (2 * BLOCK + 100,)
        for a, b in RANGES:
            np.testing.assert_array_equal(
                draw_range(key, a, b, draw), full[a:b], err_msg=f"{a}:{b}"
            )


def test_stream_keys_are_distinct() -> None:
    keys = {
        stream_key(0, "a.b", "x"),
        stream_key(0, "a.b", "y"),
        stream_key(0, "a.c", "x"),
        stream_key(1, "a.b", "x"),
        stream_key(0, "a.b", None),
    }
    assert len(keys) == 5
    assert stream_key(0, "a.b", None) == stream_key(0, "a.b", None)


def test_sampler_ranges_equal_slices_of_longer_requests() -> None:
    """Every value of a scenario with correlated groups: any range of draws is
    the same slice of a longer request, across block boundaries too."""
    sampler = ScenarioSampler.build(load_scenario(FAMILY / "oxford.yaml"), 4)
    assert sampler.groups, "oxford should have correlated values"
    full = sampler.draws(0, 2 * BLOCK + 100)
    for a, b in RANGES:
        part = sampler.draws(a, b)
        for path in sampler.uncertain_paths():
            np.testing.assert_array_equal(part[path], full[path][a:b], err_msg=f"{path} {a}:{b}")


# --------------------------------------------------------------------------- correlation

CORRELATED = """\
correlations:
  - {between: [delivery.uptake, costs.coordinator.salary], rank: -0.6}
  - {between: [effect.risk_without, effect.relative_risk], rank: 0.3}
  - {between: [volunteers.expenses_per_hour, costs.lines.packs.amount], rank: 0.8}
  - {between: [costs.coordinator.fte, costs.overhead_rate], rank: 0.5}
  - {between: [costs.coordinator.fte, delivery.referrals_per_year], rank: 0.4}
  - {between: [costs.overhead_rate, delivery.referrals_per_year], rank: 0.3}
"""


def _pert(low: float, mode: float, high: float) -> stats.rv_continuous:
    width = high - low
    a, b = 1 + 4 * (mode - low) / width, 1 + 4 * (high - mode) / width
    return stats.beta(a, b, loc=low, scale=width)


def _lognormal(mean: float, sd: float) -> stats.rv_continuous:
    sigma2 = math.log(1 + sd**2 / mean**2)
    return stats.lognorm(s=math.sqrt(sigma2), scale=math.exp(math.log(mean) - sigma2 / 2))


def _beta_mean_sd(mean: float, sd: float) -> stats.rv_continuous:
    nu = mean * (1 - mean) / sd**2 - 1
    return stats.beta(mean * nu, (1 - mean) * nu)


# Margins as declared in LINEAR, written out from the spec's parameterisations.
MARGINS = {
    "delivery.uptake": stats.beta(24, 13),
    "costs.coordinator.salary": _lognormal(25000, 3000),
    "effect.risk_without": _beta_mean_sd(0.3, 0.05),
    "effect.relative_risk": _pert(0.4, 0.6, 0.9),
    "volunteers.expenses_per_hour": _lognormal(2.5, 0.8),
    "costs.lines.packs.amount": stats.gamma(25, scale=0.2),
    "costs.coordinator.fte": _pert(0.5, 0.6, 1),
    "costs.overhead_rate": _beta_mean_sd(0.1, 0.03),
    "delivery.referrals_per_year": _pert(20, 30, 50),
}

TARGETS = [
    ("delivery.uptake", "costs.coordinator.salary", -0.6),
    ("effect.risk_without", "effect.relative_risk", 0.3),
    ("volunteers.expenses_per_hour", "costs.lines.packs.amount", 0.8),
    ("costs.coordinator.fte", "costs.overhead_rate", 0.5),
    ("costs.coordinator.fte", "delivery.referrals_per_year", 0.4),
    ("costs.overhead_rate", "delivery.referrals_per_year", 0.3),
    # Not correlated: independent.
    ("delivery.uptake", "effect.risk_without", 0.0),
    ("costs.coordinator.salary", "volunteers.expenses_per_hour", 0.0),
]


@pytest.fixture(scope="module")
def correlated_draws(tmp_path_factory: pytest.TempPathFactory) -> dict[str, np.ndarray]:
    folder = tmp_path_factory.mktemp("corr")
    scenario = load_scenario(write_linear(folder, "corr", correlations=CORRELATED))
    return ScenarioSampler.build(scenario, 21).draws(0, 100_000)


@pytest.mark.parametrize(("a", "b", "rho"), TARGETS, ids=lambda x: str(x))
def test_achieved_rank_correlation(
    correlated_draws: dict[str, np.ndarray], a: str, b: str, rho: float
) -> None:
    achieved = stats.spearmanr(correlated_draws[a], correlated_draws[b])[0]
    assert abs(achieved - rho) <= 0.02, f"{a} ~ {b}: target {rho}, achieved {achieved:.4f}"


@pytest.mark.parametrize("path", sorted(MARGINS))
def test_correlated_margins_are_intact(correlated_draws: dict[str, np.ndarray], path: str) -> None:
    x = correlated_draws[path]
    margin = MARGINS[path]
    p = stats.kstest(x, margin.cdf).pvalue
    assert p > 0.001, f"{path}: KS p = {p:.2g} against the declared distribution"
    for q in (0.01, 0.5, 0.99):
        assert np.quantile(x, q) == pytest.approx(margin.ppf(q), rel=0.02), (path, q)


# --------------------------------------------------------------------------- programme


@pytest.fixture(scope="module")
def programme_run() -> sroi.Results:
    return sroi.run(scenario_files([str(FAMILY)]), draws=3000, seed=5)


def test_programme_adds_up_draw_by_draw(programme_run: sroi.Results) -> None:
    r = programme_run
    ids = [s.id for s in r.scenarios]
    assert len(ids) >= 2
    keys = [*ADDITIVE, *(f"{s}.{k}" for s, ks in SPLIT_METRICS.items() for k in ks)]
    for key in keys:
        total = sum(r.metric(key, i) for i in ids)
        np.testing.assert_allclose(r.metric(key), total, rtol=1e-9, atol=1e-9, err_msg=key)
        base = sum(r.base_value(key, i) for i in ids)
        assert r.base_value(key) == pytest.approx(base, rel=1e-9, abs=1e-9), key


def test_programme_ratios_are_ratios_of_sums(programme_run: sroi.Results) -> None:
    r = programme_run

    def m(key: str) -> np.ndarray:
        return r.metric(key)

    ratios = {
        "sroi_ratio": m("value_pv") / m("cost_pv"),
        "net_sroi_ratio": m("npv") / m("cost_pv"),
        "unit_cost": m("cost_total") / m("users"),
        "cost_per_case_averted": m("cost_total") / m("cases_averted"),
    }
    for key, want in ratios.items():
        np.testing.assert_allclose(m(key), want, rtol=1e-9, err_msg=key)
        # Not the mean or sum of the sites' ratios.
        sites = sum(r.metric(key, s.id) for s in r.scenarios)
        assert not np.allclose(m(key), sites), key
    np.testing.assert_allclose(m("npv"), m("value_pv") - m("cost_pv"), rtol=1e-9)
    probs = r.probabilities()
    assert probs["sroi_ratio_of_means"] == pytest.approx(
        float(np.mean(m("value_pv")) / np.mean(m("cost_pv"))), rel=1e-9
    )
    assert probs["prob_sroi_above_1"] == pytest.approx(float(np.mean(m("sroi_ratio") > 1)))
    assert probs["prob_npv_positive"] == pytest.approx(float(np.mean(m("npv") > 0)))
    assert probs["prob_payback"] == pytest.approx(float(np.mean(~np.isnan(m("payback_year")))))


def test_summaries_are_computed_once_and_handed_out_as_copies(reference: sroi.Results) -> None:
    first = reference.summaries("oxford")
    mean = first["npv"]["mean"]
    first["npv"]["mean"] = 0.0  # a caller's change stays with the caller
    again = reference.summaries("oxford")
    assert again["npv"]["mean"] == mean
    assert mean == pytest.approx(np.mean(reference.metric("npv", "oxford")), rel=1e-12)
    assert again is not first and again["npv"] is not first["npv"]
