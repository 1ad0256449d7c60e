"""Value of information: the regression EVPPI estimator against toys with a
closed-form answer, and EVPI/EVPPI on the bundled scenarios.

Closed forms used below
-----------------------
Decision: adopt (net benefit NB) or not (0).  EVPPI of φ is
``E_φ[max(g(φ), 0)] - max(E[NB], 0)`` with ``g(φ) = E[NB | φ]``.

1. Normal partial expectation.  For ``Z ~ N(m, s²)``,
   ``E[max(Z, 0)] = ∫_0^∞ z f(z) dz``.  Substituting ``z = m + s u``:
   ``∫_{-m/s}^∞ (m + s u) φ(u) du = m (1 - Φ(-m/s)) + s φ(-m/s)
   = m Φ(m/s) + s φ(m/s)``  (using ``∫_a^∞ u φ(u) du = φ(a)`` and symmetry).

2. Linear toy: ``NB = X + Y``, ``X ~ N(μx, sx²)`` independent of
   ``Y ~ N(μy, sy²)``.  Then ``g(X) = X + μy ~ N(m, sx²)`` with ``m = μx + μy``, so
   ``EVPPI_X = sx φ(m/sx) + m Φ(m/sx) - max(m, 0)``.  Knowing both,
   ``NB ~ N(m, sx² + sy²)`` and ``EVPI = s φ(m/s) + m Φ(m/s) - max(m, 0)``
   with ``s = sqrt(sx² + sy²)``; the group {X, Y} has EVPPI = EVPI.

3. Non-linear toy: ``NB = exp(X) - K + Y`` with ``X ~ N(μ, σ²)``, ``Y`` independent
   with mean μy.  ``g(X) = exp(X) - K'`` with ``K' = K - μy > 0``.  The lognormal
   partial expectation (the Black–Scholes call formula) gives
   ``E[max(exp(X) - K', 0)] = exp(μ + σ²/2) Φ(d1) - K' Φ(d2)``,
   ``d1 = (μ + σ² - ln K') / σ``, ``d2 = d1 - σ``; and
   ``E[NB] = exp(μ + σ²/2) - K'``.  So
   ``EVPPI_X = exp(μ + σ²/2) Φ(d1) - K' Φ(d2) - max(exp(μ + σ²/2) - K', 0)``.

Tolerances: the Monte Carlo standard error of an EVPPI estimate with N draws
is about sd(max(g, 0) - g·[E g > 0]) / sqrt(N) (``Fit.se``); the checks allow
4 standard errors plus a small allowance for the fit.
"""

from __future__ import annotations

import io
import json
import math
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import norm

from sroi.analysis.voi import DEFAULT_GROUPS, VoiResult, evpi, evppi, standard_error, voi
from sroi.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
FAMILY = ROOT / "scenarios" / "family_action_pss"
N = 20_000


def normal_partial(m: float, s: float) -> float:
    """E[max(Z, 0)] for Z ~ N(m, s²)."""
    return m * norm.cdf(m / s) + s * norm.pdf(m / s)


@dataclass(frozen=True)
class Toy:
    """Draws of the linear toy and its closed-form answers."""

    x: np.ndarray
    y: np.ndarray
    evppi_x: float
    evppi_y: float
    evpi: float

    @property
    def nb(self) -> np.ndarray:
        return self.x + self.y


@pytest.fixture(scope="module")
def linear_toy() -> Toy:
    rng = np.random.default_rng(20240607)
    mx, sx, my, sy = 0.1, 1.0, 0.2, 1.5
    m = mx + my
    return Toy(
        x=rng.normal(mx, sx, N),
        y=rng.normal(my, sy, N),
        evppi_x=normal_partial(m, sx) - max(m, 0.0),
        evppi_y=normal_partial(m, sy) - max(m, 0.0),
        evpi=normal_partial(m, math.hypot(sx, sy)) - max(m, 0.0),
    )


def test_evpi_matches_closed_form(linear_toy: Toy) -> None:
    nb = linear_toy.nb
    assert evpi(nb) == pytest.approx(linear_toy.evpi, abs=4 * standard_error(nb))


@pytest.mark.parametrize("name", ["x", "y"])
def test_evppi_of_one_value_matches_closed_form(linear_toy: Toy, name: str) -> None:
    nb = linear_toy.nb
    values = getattr(linear_toy, name)
    fit = evppi(nb, values)
    expected = getattr(linear_toy, f"evppi_{name}")
    assert fit.evppi == pytest.approx(expected, abs=4 * fit.se + 0.005)
    # The fit is (close to) the true conditional expectation, e.g. X + μy.
    assert fit.r2 == pytest.approx(float(np.var(values) / np.var(nb)), abs=0.02)


def test_evppi_of_the_whole_group_is_evpi(linear_toy: Toy) -> None:
    nb = linear_toy.nb
    fit = evppi(nb, np.column_stack([linear_toy.x, linear_toy.y]))
    assert fit.evppi == pytest.approx(evpi(nb), abs=1e-9)
    assert fit.evppi == pytest.approx(linear_toy.evpi, abs=4 * fit.se)


def test_evppi_of_a_non_linear_value_matches_closed_form() -> None:
    rng = np.random.default_rng(7)
    mu, sigma, k_eff = 0.0, 0.5, 1.2
    x = rng.normal(mu, sigma, N)
    y = rng.normal(0.0, 1.0, N)
    nb = np.exp(x) - k_eff + y
    mean = math.exp(mu + sigma**2 / 2)
    d1 = (mu + sigma**2 - math.log(k_eff)) / sigma
    expected = mean * norm.cdf(d1) - k_eff * norm.cdf(d1 - sigma) - max(mean - k_eff, 0.0)
    fit = evppi(nb, x)
    assert fit.basis != "linear"  # the curvature is found
    assert fit.evppi == pytest.approx(expected, abs=4 * fit.se + 0.005)


def test_an_irrelevant_value_has_about_no_evppi(linear_toy: Toy) -> None:
    noise = np.random.default_rng(99).uniform(size=N)
    fit = evppi(linear_toy.nb, noise)
    assert 0.0 <= fit.evppi < 0.01 * linear_toy.evpi


def test_fixed_and_duplicate_columns_are_dropped(linear_toy: Toy) -> None:
    nb = linear_toy.nb
    x = linear_toy.x
    alone = evppi(nb, x)
    padded = evppi(nb, np.column_stack([x, x, np.full(N, 3.0)]))
    assert padded.evppi == pytest.approx(alone.evppi, abs=1e-9)
    assert evppi(nb, np.full(N, 3.0)).evppi == 0.0


def test_evppi_never_negative_and_decision_clear_gives_zero() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=2000)
    nb = 100.0 + x  # never below 0: nothing to learn
    assert evpi(nb) == 0.0
    assert evppi(nb, x).evppi == 0.0


@pytest.fixture(scope="module")
def pilots() -> VoiResult:
    return voi(FAMILY, draws=1000, seed=4)


@pytest.mark.slow
def test_evpi_on_bundled_scenarios(pilots: VoiResult) -> None:
    frame = pilots.evpi
    assert list(frame.index) == ["hackney", "oxford", "swaffham", "west_mansfield", "programme"]
    assert (frame["evpi"] >= 0).all()
    assert np.allclose(frame["evpi_per_woman"], frame["evpi"] / frame["mean_users"])
    assert np.allclose(frame["evpi"], frame["value_perfect_info"] - frame["mean_npv"].clip(lower=0))


@pytest.mark.slow
def test_evpi_at_least_evppi_at_least_zero(pilots: VoiResult) -> None:
    rows = pilots.evppi
    assert (rows["evppi"] >= 0).all()
    for sid, group in rows.groupby("scenario"):
        total = float(pilots.evpi.loc[sid, "evpi"])
        se = float(pilots.evpi.loc[sid, "evpi_se"])
        assert (group["evppi"] <= total + 2 * se).all(), sid
    # Every default group matched something in the pilots, and the effect
    # pair is where the decision uncertainty lives.
    groups = rows[rows["kind"] == "group"]
    assert set(groups["name"]) == set(DEFAULT_GROUPS)
    effect = groups[(groups["scenario"] == "programme") & (groups["name"] == "effect")]
    assert float(effect["evppi"].iloc[0]) > 0


@pytest.mark.slow
def test_voi_document_is_strict_json(pilots: VoiResult) -> None:
    doc = json.loads(json.dumps(pilots.to_dict(), allow_nan=False))
    assert doc["method"] == "voi"
    assert [s["id"] for s in doc["scenarios"]] == list(pilots.names)
    assert doc["programme"]["id"] == "programme"
    assert {"values", "groups", "evpi", "evpi_per_woman"} <= set(doc["programme"])


def test_voi_uses_the_draws_of_sroi_run() -> None:
    import sroi

    oxford = FAMILY / "oxford.yaml"
    result = voi(oxford, draws=300, seed=2, groups={"effect": ["effect.*"]})
    npv = sroi.run(oxford, draws=300, seed=2).metric("npv", "oxford")
    assert result.evpi.loc["oxford", "evpi"] == pytest.approx(evpi(npv), rel=1e-12)
    assert "programme" not in result.evpi.index  # one scenario: its own decision
    assert set(result.evppi[result.evppi["kind"] == "group"]["name"]) == {"effect"}


def test_a_scenario_with_every_value_fixed_has_no_value_of_information() -> None:
    fixed = ROOT / "tests" / "cases" / "hand_a.yaml"
    result = voi(fixed, draws=20)
    assert result.evpi.loc["hand_a", "evpi"] == 0.0
    assert result.evppi.empty
    assert list(result.evppi.columns)[:5] == ["scenario", "kind", "name", "paths", "evppi"]


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def test_cli_voi_table_and_json() -> None:
    oxford = str(FAMILY / "oxford.yaml")
    code, out, err = _cli("sensitivity", oxford, "--method", "voi", "--draws", "300")
    assert code == 0, err
    # The group table always lists every group; single values appear only
    # when their EVPPI is worth showing, which depends on the draws.
    assert "EVPI" in out and "EVPPI of groups" in out and "  effect " in out
    code, out, err = _cli(
        "sensitivity", oxford, "--method", "voi", "--draws", "300", "--seed", "1", "--json"
    )
    assert code == 0, err
    doc = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    assert doc["method"] == "voi" and doc["draws"] == 300 and doc["seed"] == 1
    assert doc["evpi"][0]["scenario"] == "oxford"
    assert {r["kind"] for r in doc["rows"]} == {"value", "group"}


def test_cli_voi_refuses_too_few_draws_and_foreign_options() -> None:
    oxford = str(FAMILY / "oxford.yaml")
    code, _, err = _cli("sensitivity", oxford, "--method", "voi", "--draws", "5")
    assert code == 2 and "at least 10" in err
    # Refused before anything else is said: no warning about few draws first.
    assert "warning" not in err and err.startswith("usage: sroi sensitivity")
    code, _, err = _cli("sensitivity", oxford, "--method", "voi", "--band", "0.1")
    assert code == 2 and "--band" in err
    code, _, err = _cli("sensitivity", oxford, "--method", "oneway", "--draws", "100")
    assert code == 2 and "--draws" in err
