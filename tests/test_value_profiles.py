"""When each payer's value arrives: the stored value profiles of the draws
and the chart drawn from them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from report_toys import write_toys

import sroi
from sroi.engine.discounting import discount_factors
from sroi.reports import plots, style
from sroi.reports.plots.profiles import base_profiles
from sroi.vocabulary import PAYERS, PROGRAMME


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> sroi.Results:
    toys = [sroi.load_scenario(p) for p in write_toys(tmp_path_factory.mktemp("toys"))]
    return sroi.run(toys, draws=400, seed=3, keep_outcomes=True)


def test_profiles_discount_to_each_draws_value_pv(results: sroi.Results) -> None:
    """Toy A discounts every outcome on the Green Book schedule, so a draw's
    yearly values by payer, discounted and added up, are its value PV."""
    profiles = results.value_profiles
    assert profiles is not None
    horizon = results.base_flows["toy_a"].horizon
    df = discount_factors(horizon)
    total = sum(profiles["toy_a"][p].astype(np.float64) for p in PAYERS)
    assert total.shape == (results.draws, horizon)
    np.testing.assert_allclose(total @ df, results.metric("value_pv", "toy_a"), rtol=1e-5)


def test_programme_profile_is_the_sum_of_the_sites(results: sroi.Results) -> None:
    profiles = results.value_profiles
    assert profiles is not None
    for payer in PAYERS:
        sites = profiles["toy_a"][payer] + profiles["toy_b"][payer]
        np.testing.assert_allclose(profiles[PROGRAMME][payer], sites, rtol=1e-6, atol=1e-3)


def test_profiles_are_kept_only_with_outcomes(tmp_path: Path) -> None:
    toy = sroi.load_scenario(write_toys(tmp_path)[0])
    assert sroi.run(toy, draws=50, seed=3).value_profiles is None
    assert sroi.run(toy, draws=0, keep_outcomes=True).value_profiles is None


def test_chart_draws_base_case_and_band(results: sroi.Results) -> None:
    fig = plots.value_profiles(results)
    assert isinstance(fig, Figure)
    # Toy A's fiscal saving (NHS) and the burden on the council, Toy B's outcomes
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        style.PAYER_LABELS[p] for p in PAYERS if np.any(base_profiles(results, PROGRAMME)[p])
    ]
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == len(labels)
    assert fig.get_suptitle().startswith("Programme: half of the value has arrived by year ")
    assert "[£, FY 2011-12 prices]" in ax.get_ylabel()  # as the ticks: £


def test_chart_draws_into_given_axes_without_draws(tmp_path: Path) -> None:
    toy = sroi.load_scenario(write_toys(tmp_path)[0])
    r = sroi.run(toy, draws=0, keep_outcomes=True)
    fig = Figure()
    ax = fig.subplots()
    assert plots.value_profiles(r, ax=ax) is fig
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]  # no band
    title = " ".join(ax.get_title(loc="left").split())
    assert title.startswith("Toy A: half of the value has arrived by year ")
    # base case: value by year of each payer, as the engine computed it
    lines = {
        line.get_label(): line.get_ydata() for line in ax.get_lines() if line.get_label()[0] != "_"
    }
    nhs = r.base_flows["toy_a"].value_by_payer["nhs"][0]
    np.testing.assert_allclose(lines["NHS"], nhs[: len(lines["NHS"])])


def test_base_profiles_add_up_to_the_base_value(results: sroi.Results) -> None:
    for name in ("toy_a", "toy_b", PROGRAMME):
        base = base_profiles(results, name)
        ids = ["toy_a", "toy_b"] if name == PROGRAMME else [name]
        expected = sum(float(np.sum(results.base_flows[i].value[0])) for i in ids)
        assert sum(float(np.sum(v)) for v in base.values()) == pytest.approx(expected)
