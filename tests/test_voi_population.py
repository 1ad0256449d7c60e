"""Value of information for a population and for a choice among options:
the estimators on toys worked out by hand, then on the bundled scenarios.

Three-option toy (worked by hand)
---------------------------------
One uncertain value ``X ~ U(0, 1)``, common to every option (common random
numbers).  Options: ``A = X``, ``B = 1 - X``, ``C = 0.6`` (certain).

* Today: ``E[A] = E[B] = 0.5`` and ``E[C] = 0.6``, so C is chosen and
  ``max_k E[NB_k] = 0.6``.
* With perfect information the best option in each draw is B for
  ``X < 0.4`` (``1 - X > 0.6``), C for ``0.4 <= X <= 0.6`` and A for
  ``X > 0.6``::

      E[max] = ∫_0^0.4 (1 - x) dx + 0.6 * 0.2 + ∫_0.6^1 x dx
             = (0.4 - 0.08) + 0.12 + (1 - 0.36) / 2
             = 0.32 + 0.12 + 0.32 = 0.76

* ``EVPI = 0.76 - 0.6 = 0.16``.  P(best) is 0.4 for A, 0.4 for B, 0.2 for C.

Drawn independently instead (no common random numbers: ``B = 1 - X'``
with ``X'`` independent of ``X``), ``M = max(X, 1 - X')`` has
``P(M <= t) = t^2``, so ``E[max(M, 0.6)] = 0.6 * 0.36 + ∫_0.6^1 2 t^2 dt
= 0.216 + 2 (1 - 0.216) / 3 = 0.73867`` and EVPI is 0.13867, not 0.16: the
estimator reads how the options' draws are paired.
"""

from __future__ import annotations

import io
import json
import math
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest

from sroi.analysis.options import NONE, choice, evpi_options, evpi_options_se
from sroi.analysis.population import (
    PopulationError,
    discounted_years,
    money_schedule,
    population_factor,
)
from sroi.analysis.voi import NPV, NetBenefit, decision, evpi, voi
from sroi.cli.main import main
from sroi.scenario import load_scenario
from sroi.scenario.values import Value

ROOT = Path(__file__).resolve().parents[1]
FAMILY = ROOT / "scenarios" / "family_action_pss"
OXFORD = FAMILY / "oxford.yaml"

#: Midpoints of 100,000 equal cells of (0, 1): integrals to about 1e-10.
GRID = (np.arange(100_000) + 0.5) / 100_000


def three_options(x: np.ndarray) -> np.ndarray:
    return np.vstack([x, 1.0 - x, np.full_like(x, 0.6)])


def test_three_option_evpi_by_hand() -> None:
    nb = three_options(GRID)
    assert evpi_options(nb) == pytest.approx(0.16, abs=1e-9)
    c = choice(["a", "b", "c"], nb, np.ones_like(nb), include_none=False)
    assert c.chosen == "c"
    np.testing.assert_allclose(c.mean_net_benefit, [0.5, 0.5, 0.6])
    np.testing.assert_allclose(c.prob_best, [0.4, 0.4, 0.2], atol=1e-9)
    # One woman per option: per woman is the same choice.
    assert c.evpi_per_woman == pytest.approx(0.16, abs=1e-9)


def test_three_option_evpi_from_random_draws() -> None:
    x = np.random.default_rng(11).uniform(size=40_000)
    nb = three_options(x)
    se = evpi_options_se(nb)
    assert 0 < se < 0.002
    assert evpi_options(nb) == pytest.approx(0.16, abs=4 * se)


def test_the_pairing_of_draws_matters() -> None:
    # The same margins paired at random (as if B had its own stream): EVPI
    # 0.13867, not 0.16 (worked in the module docstring).
    paired = three_options(GRID)
    unpaired = paired.copy()
    unpaired[1] = np.random.default_rng(3).permutation(unpaired[1])
    assert evpi_options(unpaired) == pytest.approx(0.216 + 2 * 0.784 / 3 - 0.6, abs=0.005)
    assert abs(evpi_options(unpaired) - evpi_options(paired)) > 0.015


def test_two_options_with_none_is_the_binary_evpi() -> None:
    nb = np.random.default_rng(2).normal(0.3, 1.0, 5_000)
    c = choice(["service"], nb[None, :], np.full((1, nb.size), 5.0))
    assert c.options == ("service", NONE)
    assert c.evpi == pytest.approx(evpi(nb), rel=1e-12)
    assert c.evpi_per_woman == pytest.approx(evpi(nb) / 5.0, rel=1e-12)


def test_per_woman_choice_scales_each_option_by_its_own_caseload() -> None:
    # a: NB (4, -4) for 2 women -> (2, -2) per woman; b: (-1, 1) for 1 woman.
    # Per decision: E[max(a, b, 0)] = (4 + 1) / 2 = 2.5, max E = 0: EVPI 2.5.
    # Per woman: E[max] = (2 + 1) / 2 = 1.5, max E = 0: 1.5 (not 2.5 / any one caseload).
    c = choice(["a", "b"], [[4.0, -4.0], [-1.0, 1.0]], [[2.0, 2.0], [1.0, 1.0]])
    assert (c.evpi, c.evpi_per_woman) == (2.5, 1.5)


def test_bad_option_arrays() -> None:
    with pytest.raises(ValueError, match="options, draws"):
        evpi_options([1.0, 2.0])
    with pytest.raises(ValueError, match="do not match"):
        choice(["a"], [[1.0, 2.0]], [[1.0]])
    with pytest.raises(ValueError, match="finite"):
        evpi_options([[1.0, math.nan]])


def test_discounted_years_by_hand() -> None:
    # Green Book, year 0 undiscounted: sum_{y=0..9} 1.035^-y
    # = (1 - 1.035^-10) / (1 - 1 / 1.035) = 8.60769.
    assert discounted_years(10) == pytest.approx((1 - 1.035**-10) / (1 - 1 / 1.035))
    # End of year: every year one period later, 1.035^-1 .. 1.035^-10.
    assert discounted_years(10, convention="end_of_year") == pytest.approx(
        discounted_years(10) / 1.035
    )
    assert discounted_years(3, "constant", rate=0.0) == 3.0
    with pytest.raises(PopulationError, match="at least 1 year"):
        discounted_years(0)
    # A horizon in the billions once built an array of that many years.
    assert discounted_years(300) > discounted_years(299)
    with pytest.raises(PopulationError, match="at most 300 years; found 1,000,000,000"):
        discounted_years(10**9)


def test_population_factor_uses_the_money_schedule() -> None:
    oxford = load_scenario(OXFORD)
    # The bundled sites discount money at the Green Book rates (health
    # effects at the health rates inside a decision).
    assert money_schedule(oxford) == ("green_book", "green_book", None)
    assert population_factor([oxford], 1000, 10) == pytest.approx(1000 * discounted_years(10))
    constant = oxford.model_copy(
        update={
            "id": "flat",
            "discounting": oxford.discounting.model_copy(
                update={"schedule": "constant", "rate": Value(value=0.1)}
            ),
        }
    )
    assert population_factor([constant], 2, 2) == pytest.approx(2 * (1 + 1 / 1.1))
    with pytest.raises(PopulationError, match="discount money differently"):
        population_factor([oxford, constant], 1000, 10)
    with pytest.raises(PopulationError, match="positive"):
        population_factor([oxford], 0, 10)
    with pytest.raises(PopulationError, match="at most 1,000,000,000,000 women"):
        population_factor([oxford], 1.7e308, 300)


def test_decision_scales_evpi_and_evppi_to_the_population() -> None:
    x = np.linspace(-2.0, 1.0, 301)
    row, rows = decision(x, np.full(301, 4.0), {"x": [x]}, {}, population=50.0)
    assert row["evpi_population"] == pytest.approx(row["evpi"] / 4 * 50)
    assert rows[0]["evppi_population"] == pytest.approx(rows[0]["evppi"] / 4 * 50)
    row, rows = decision(x, np.full(301, 4.0), {"x": [x]}, {})
    assert math.isnan(row["evpi_population"]) and math.isnan(rows[0]["evppi_population"])


@pytest.fixture(scope="module")
def pilots_population():
    return voi(
        FAMILY,
        draws=600,
        seed=5,
        groups={"effect": ["effect.*"]},
        population=1000,
        horizon=10,
        options=True,
    )


def test_voi_population_and_options_on_the_pilots(pilots_population) -> None:
    r = pilots_population
    women = 1000 * discounted_years(10)
    assert r.population_women == pytest.approx(women)
    frame = r.evpi
    np.testing.assert_allclose(frame["evpi_population"], frame["evpi_per_woman"] * women)
    rows = r.evppi
    np.testing.assert_allclose(rows["evppi_population"], rows["evppi_per_woman"] * women)
    # The choice reads the same draws as each site's decision.
    assert r.choice is not None
    assert r.choice.options == ("hackney", "oxford", "swaffham", "west_mansfield", NONE)
    np.testing.assert_allclose(r.choice.mean_net_benefit[:4], frame["mean_npv"].iloc[:4])
    assert r.choice.evpi >= 0 and r.choice.prob_best.sum() == pytest.approx(1.0)
    doc = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert doc["population"] == 1000 and doc["horizon"] == 10
    assert doc["choice"]["evpi_population"] == pytest.approx(r.choice.evpi_per_woman * women)
    assert doc["programme"]["evpi_population"] > 0


def test_net_benefit_is_an_argument() -> None:
    # Public value against cash cost: a different decision from NPV's.
    public = NetBenefit(
        "public value - cash cost",
        ("public_value_pv", "cash_cost_pv"),
        lambda m: m["public_value_pv"] - m["cash_cost_pv"],
    )
    society = voi(OXFORD, draws=300, seed=2, groups={})
    fiscal = voi(OXFORD, draws=300, seed=2, groups={}, net_benefit=public)
    assert society.net_benefit == NPV.label and fiscal.net_benefit == public.label
    assert fiscal.evpi.loc["oxford", "mean_npv"] < society.evpi.loc["oxford", "mean_npv"]


def test_population_needs_both_settings() -> None:
    with pytest.raises(PopulationError, match="both"):
        voi(OXFORD, draws=20, population=10)


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def test_cli_population_and_options() -> None:
    base = ("sensitivity", str(FAMILY), "--method", "voi", "--draws", "300")
    code, out, err = _cli(*base, "--population", "1000", "--horizon", "10", "--options")
    assert code == 0, err
    assert "1,000 women a year for 10 years" in out
    assert "population" in out and "Choice among the scenarios" in out
    code, out, err = _cli(*base, "--population", "1000", "--horizon", "10", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["population"] == 1000 and doc["horizon"] == 10
    assert all(row["evpi_population"] > 0 for row in doc["evpi"])
    assert doc["choice"] is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--population", "1000"), "--population and --horizon go together"),
        (("--population", "-3", "--horizon", "10"), "positive"),
        (("--population", "1000", "--horizon", "0"), "at least 1"),
        (("--population", "1000", "--horizon", "301"), "at most 300 years"),
        (("--population", "1000", "--horizon", "9" * 20), "at most 300 years"),
        (("--population", "1e300", "--horizon", "10"), "at most 1,000,000,000,000 women"),
    ],
)
def test_cli_population_errors(extra: tuple[str, ...], message: str) -> None:
    code, out, err = _cli("sensitivity", str(OXFORD), "--method", "voi", "--draws", "20", *extra)
    assert code == 2 and message in err and out == ""


def test_cli_population_only_with_voi() -> None:
    code, _, err = _cli("sensitivity", str(OXFORD), "--method", "oneway", "--population", "5")
    assert code == 2 and "--population does not apply" in err
