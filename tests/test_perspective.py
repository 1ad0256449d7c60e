"""Perspectives: whose value and which cost count, per draw and in every
output; and the honest headline (expected value first, the base case as
"modal inputs") that run, compare and the report share."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import sroi
from sroi.analysis.compare import compare
from sroi.cli.main import main
from sroi.engine.metrics import flow_metrics
from sroi.engine.model import compute
from sroi.reports import style
from sroi.reports.compare import compare_table
from sroi.reports.headline import table_context
from sroi.reports.page import glance
from sroi.reports.plots.distribution import sroi_distribution
from sroi.reports.report import build
from sroi.reports.table import run_table
from sroi.results.perspective import _median_year, headline, perspective_draws, with_perspectives
from sroi.sampling.sampler import ScenarioSampler
from sroi.scenario import load_scenario
from sroi.vocabulary import PERSPECTIVES, PROGRAMME, SIDE_BY_SIDE

ROOT = Path(__file__).resolve().parents[1]
FAMILY = ROOT / "scenarios" / "family_action_pss"
HAND_A = ROOT / "tests" / "cases" / "hand_a.yaml"
DRAWS = 600
SEED = 5


def cli(*args: str) -> tuple[int, str, str]:
    """``sroi ARGS`` in process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse errors
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def family() -> sroi.Results:
    return sroi.run(FAMILY, draws=DRAWS, seed=SEED, keep_outcomes=True)


# --------------------------------------------------------------------------- per draw


def test_named_perspectives_give_exactly_the_metrics_that_hold_them(family: sroi.Results) -> None:
    for name in family.names:
        m = family.draw_metrics[name]
        society = perspective_draws(m, "society")
        assert np.array_equal(society.ratio, m["sroi_ratio"], equal_nan=True)
        assert np.array_equal(society.net, m["npv"])
        assert society.payback_year is not None
        assert np.array_equal(society.payback_year, m["payback_year"], equal_nan=True)
        public = perspective_draws(m, "public_sector")
        assert np.array_equal(public.ratio, m["public_roi"], equal_nan=True)
        assert np.array_equal(public.value, m["public_value_pv"])
        assert np.array_equal(public.cost, m["cash_cost_pv"])
        cashable = perspective_draws(m, "cashable")
        assert np.array_equal(cashable.ratio, m["cashable_roi"], equal_nan=True)
        nhs = perspective_draws(m, "nhs")
        assert np.array_equal(nhs.net, m["value_pv_by_payer.nhs"] - m["cash_cost_pv"])


def test_hand_worked_payback_and_return_of_each_perspective() -> None:
    """hand_a.yaml, base case (working in tests/cases/hand_a.expected.yaml):

    NHS value discounted by year y0..y5: 0, 12000, 20160, 19392, 6144, 983.04,
    cumulative 0, 12000, 32160, 51552, ...; cash cost discounted 20869.2,
    14868.48, 11894.784, cumulative 20869.2, 35737.68, 47632.464 from year 2.
    51552 >= 47632.464 first in year 3, so the NHS pays back in year 3; the
    public sector (only the NHS gains) and cashable (only the NHS outcome is
    cashable) too.  Local authorities and central government gain nothing:
    never.  NHS net = 58679.04 - 47632.464 = 11046.576.
    """
    scenario = load_scenario(HAND_A)
    m = flow_metrics(compute(scenario, ScenarioSampler.build(scenario, 1).central()))
    for p in ("nhs", "public_sector", "cashable"):
        assert m[PERSPECTIVES[p].payback_metric][0] == 3.0, p
    assert math.isnan(m["local_authority_payback_year"][0])
    assert math.isnan(m["central_government_payback_year"][0])
    assert m["payback_year"][0] == 3.0
    nhs = perspective_draws(m, "nhs")
    assert nhs.net[0] == pytest.approx(11046.576, rel=1e-12)
    assert nhs.ratio[0] == pytest.approx(58679.04 / 47632.464, rel=1e-12)
    named = with_perspectives(m)
    assert named["nhs_npv"][0] == pytest.approx(11046.576, rel=1e-12)
    assert named["local_authority_roi"][0] == 0.0


def test_counts_over_every_draw_match_the_stored_draws(family: sroi.Results) -> None:
    assert family.stored_every == 1
    for name in family.names:
        for p in PERSPECTIVES:
            h = family.headline(name, p)
            d = perspective_draws(family.draw_metrics[name], p)
            assert h.prob_ratio_above_1 == float(np.mean(d.ratio > 1.0)), (name, p)
            assert h.prob_net_positive == float(np.mean(d.net > 0.0)), (name, p)
            assert d.payback_year is not None
            assert h.prob_payback == float(np.mean(~np.isnan(d.payback_year))), (name, p)
            expected = float(np.mean(d.value)) / float(np.mean(d.cost))
            assert h.ratio.expected == pytest.approx(expected, rel=1e-12)
            assert h.net.expected == pytest.approx(float(np.mean(d.net)), rel=1e-9, abs=1e-6)
            assert h.ratio.median == pytest.approx(float(np.nanmedian(d.ratio)), rel=1e-12)


def test_society_headline_is_the_ratio_of_means_not_the_base_case(family: sroi.Results) -> None:
    h = family.headline(PROGRAMME)
    assert h.perspective.id == "society"
    assert h.ratio.expected == pytest.approx(family.probabilities()["sroi_ratio_of_means"])
    assert h.ratio.modal == family.base_value("sroi_ratio")
    # The bundled inputs are skewed: the base case is well above what to expect.
    assert h.ratio.modal > h.ratio.expected > h.ratio.median


def test_public_sector_loses_money_on_the_bundled_programme(family: sroi.Results) -> None:
    public = family.headline(PROGRAMME, "public_sector")
    assert public.net.expected < 0 and public.prob_net_positive < 0.1
    cashable = family.headline(PROGRAMME, "cashable")
    assert cashable.ratio.expected < 0.05 and cashable.prob_ratio_above_1 == 0.0


@pytest.mark.parametrize(
    ("years", "median"),
    [
        # The first year by which at least half the draws pay back: with two
        # draws, the first of them.  Averaging the middle two (5.5, 6.5)
        # would give a year no draw pays back in, which the JSON truncated
        # and the table rounded, so they disagreed.
        ([6.0, 5.0], 5.0),
        ([3.0, 8.0], 3.0),
        ([1.0, 3.0, 2.0], 2.0),
        ([2.0, 9.0, 4.0, 7.0], 4.0),
        # Never (NaN) is later than any year: half paying back is enough ...
        ([2.0, math.nan], 2.0),
        ([4.0, math.nan, 1.0, math.nan], 4.0),
        # ... more than half never paying back is not.
        ([2.0, math.nan, math.nan], math.nan),
        ([], math.nan),
    ],
)
def test_median_payback_year_is_a_year_some_draw_pays_back_in(
    years: list[float], median: float
) -> None:
    got = _median_year(np.array(years))
    assert got == median or (math.isnan(got) and math.isnan(median))


def test_json_and_table_give_the_same_median_payback_year() -> None:
    code, out, _ = cli("run", str(HAND_A), "--draws", "400", "--seed", "3", "--json")
    assert code == 0
    doc = json.loads(out)
    code, table, _ = cli("run", str(HAND_A), "--draws", "400", "--seed", "3")
    assert code == 0
    (entry,) = doc["scenarios"]
    median = entry["headline"]["payback_year"]["median"]
    assert isinstance(median, int)
    assert re.search(rf"Pays back within the horizon .* year {median}\b", table)


def test_base_case_only_headline_has_modal_inputs_and_nothing_else() -> None:
    r = sroi.run(FAMILY / "oxford.yaml", draws=0, perspective="nhs")
    h = r.headline("oxford")
    assert h.perspective.id == "nhs" and math.isnan(h.ratio.expected)
    assert h.ratio.modal == pytest.approx(
        r.base_value("value_pv_by_payer.nhs", "oxford") / r.base_value("cash_cost_pv", "oxford")
    )
    assert "perspective: nhs" in run_table(r)


def test_an_unknown_perspective_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="public_sector, nhs"):
        sroi.run(FAMILY / "oxford.yaml", draws=0, perspective="treasury")
    code, _, err = cli("run", str(FAMILY / "oxford.yaml"), "--perspective", "treasury")
    assert code == 2 and "invalid choice" in err and "public_sector" in err


# --------------------------------------------------------------------------- outputs


def test_run_json_names_the_perspective_and_shows_three_returns() -> None:
    code, out, err = cli(
        "run", str(FAMILY), "--draws", "300", "--json", "--perspective", "public_sector"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["perspective"] == "public_sector"
    for entry in [*doc["scenarios"], doc["programme"]]:
        head = entry["headline"]
        assert head["perspective"] == "public_sector" and head["ratio_metric"] == "public_roi"
        assert head["ratio"]["modal_inputs"] == entry["base_case"]["public_roi"]
        assert list(entry["returns"]) == ["sroi_ratio", "public_roi", "cashable_roi"]
        assert entry["returns"]["public_roi"]["expected"] == head["ratio"]["expected"]
        # Keys that were there before stay, with their meaning.
        assert "sroi_ratio" in entry["base_case"] and "prob_sroi_above_1" in entry


def test_run_table_shows_three_returns_per_site() -> None:
    code, out, err = cli("run", str(FAMILY), "--draws", "300")
    assert code == 0, err
    blocks = out.split("\n\n")
    for sid in ("hackney", "oxford", "swaffham", "west_mansfield"):
        block = next(b for b in blocks if f"[{sid}]" in b)
        for label in ("Social return", "Public-sector return", "Cashable return"):
            assert re.search(rf"{label} \(\w+\)\s+\d+\.\d\d\s+\d+\.\d\d\s+\d", block), (sid, label)
        assert "modal inputs" in block and "expected" in block


def test_compare_ranks_on_the_perspective_return() -> None:
    code, out, err = cli(
        "compare", str(FAMILY), "--draws", "300", "--json", "--perspective", "public_sector"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["perspective"] == "public_sector" and doc["ranked_by"] == "public_roi"
    results = sroi.run(FAMILY, draws=300, seed=0)
    for entry in doc["scenarios"]:
        ratio = perspective_draws(results.draw_metrics[entry["id"]], "public_sector").ratio
        assert entry["ratio"]["median"] == pytest.approx(float(np.median(ratio)))
    means = [e["rank"]["mean"] for e in doc["scenarios"]]
    assert means == sorted(means)


@pytest.mark.parametrize("method", ["oneway", "breakeven", "sobol", "voi"])
def test_every_sensitivity_method_follows_the_perspective(method: str) -> None:
    extra = {"sobol": ["--samples", "64"], "voi": ["--draws", "200"]}.get(method, [])
    code, out, err = cli(
        "sensitivity",
        str(FAMILY / "oxford.yaml"),
        "--method",
        method,
        "--perspective",
        "public_sector",
        "--json",
        *extra,
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["perspective"] == "public_sector"
    oxford = sroi.run(FAMILY / "oxford.yaml", draws=200, seed=0)
    if method == "oneway":
        assert doc["metric"] == "public_roi"
        assert doc["base"] == pytest.approx(oxford.base_value("public_roi", "oxford"))
    elif method == "breakeven":
        assert (doc["target"], doc["value"]) == ("public_roi", 1.0)
    elif method == "sobol":
        assert doc["metrics"] == ["public_roi", "public_sector_npv"]
    else:
        net = perspective_draws(oxford.draw_metrics["oxford"], "public_sector").net
        assert doc["evpi"][0]["mean_npv"] == pytest.approx(float(np.mean(net)))


# --------------------------------------------------------------------------- one number


def _two(x: float) -> str:
    return style.ratio(x)


@pytest.mark.parametrize("perspective", ["society", "public_sector"])
def test_run_compare_and_report_agree_on_each_sites_headline_ratio(
    perspective: str, tmp_path: Path
) -> None:
    """One site, one ratio: the expected return (mean value / mean cost) that
    ``sroi run`` prints, ``sroi compare`` leads its league with, and the
    report's cards, headline table, key findings and distribution chart show."""
    results = sroi.run(FAMILY, draws=DRAWS, seed=SEED, keep_outcomes=True, perspective=perspective)
    view = PERSPECTIVES[perspective]
    expected = {n: results.headline(n).ratio.expected for n in results.names}

    # sroi run: the perspective's Return row of each block leads with it.
    code, out, err = cli(
        "run", str(FAMILY), "--draws", str(DRAWS), "--seed", str(SEED), "--perspective", perspective
    )
    assert code == 0, err
    seen: dict[str, str] = {}
    current = None
    for line in out.splitlines():
        title = re.search(r"\[(\w+)\]$", line)
        if title and not line.startswith(" "):
            current = title.group(1)
        elif line.startswith("Programme:"):
            current = PROGRAMME
        elif line.strip().startswith("Return [") and current is not None:
            seen[current] = line.split()[4]  # "Return [GBP per GBP] expected ..."
    assert seen == {n: _two(expected[n]) for n in results.names}

    # sroi compare: the league's expected return, in the table and in JSON.
    c = compare(FAMILY, draws=DRAWS, seed=SEED, perspective=perspective)
    code, out, err = cli(
        "compare",
        str(FAMILY),
        "--draws",
        str(DRAWS),
        "--seed",
        str(SEED),
        "--perspective",
        perspective,
    )
    assert code == 0, err
    for sid in c.league.index:
        assert c.league.loc[sid, "ratio_expected"] == pytest.approx(expected[sid], rel=1e-9)
        line = next(x for x in out.splitlines() if re.match(rf"\s+\d+\s+{sid}\s", x))
        assert line.split()[2] == _two(expected[sid]), line

    # The report: headline table, the card, key findings and the chart title.
    report = build([load_scenario(f) for f in sorted(FAMILY.glob("[!_]*.yaml"))], results)
    table = table_context(results)
    heads = [s.id for s in results.scenarios] + [PROGRAMME]
    row = next(r for r in table["rows"] if r.label.startswith(view.ratio_label))
    for sid, cell in zip(heads, row.cells, strict=True):
        assert cell.expected == _two(expected[sid]), sid
    card = glance(report)[1]
    assert card.answer == f"£{_two(expected[PROGRAMME])} per £1"
    # The value split beside the return is everyone's, not only the view's.
    assert "Expected value to everyone £" in card.detail
    # How sure: every return's chance of exceeding 1, not only the headline's.
    sure = glance(report)[2].detail
    for h in results.returns(PROGRAMME):
        assert f"{style.chance(h.prob_ratio_above_1)}" in sure
        if h.perspective.id != results.perspective:
            assert f"{h.perspective.ratio_phrase} {style.chance(h.prob_ratio_above_1)}" in sure
    title = sroi_distribution(results).get_suptitle()
    assert f"£{_two(expected[PROGRAMME])} per £1 expected" in title
    assert f"modal inputs {_two(results.headline('oxford').ratio.modal)}" in " ".join(
        t.get_text() for ax in sroi_distribution(results).axes for t in ax.texts
    )


def test_headline_of_a_site_reads_its_own_draws(family: sroi.Results) -> None:
    mc = family.monte_carlo
    assert mc is not None
    for sid in ("oxford", "west_mansfield"):
        h = headline(family.base[sid], mc, sid, "cashable")
        assert h.ratio.modal == family.base_value("cashable_roi", sid)


def test_side_by_side_returns_are_social_public_cashable(family: sroi.Results) -> None:
    assert [h.perspective.id for h in family.returns("oxford")] == list(SIDE_BY_SIDE)


def test_sroi_run_records_the_perspective() -> None:
    r = sroi.run(FAMILY / "oxford.yaml", draws=50, perspective="cashable")
    assert r.perspective == "cashable" and r.to_dict()["perspective"] == "cashable"
    text: Any = r._repr_html_()
    assert "perspective cashable" in text


def test_a_rare_chance_is_not_written_as_none() -> None:
    """Two of 20,000 draws give Hackney an NHS return above 1: ``sroi run``,
    the report's card and headline table say "<1%", as ``sroi compare`` does,
    not "0%" ("it did in 0% of 20,000 draws")."""
    hackney = FAMILY / "hackney.yaml"
    results = sroi.run(hackney, draws=20_000, seed=3, perspective="nhs", keep_outcomes=True)
    h = results.headline("hackney")
    assert 0 < h.prob_ratio_above_1 < 0.005 and 0 < h.prob_payback < 0.005
    text = run_table(results)
    assert re.search(r"^  P\(return > 1\)\s+<1%$", text, re.M), text
    assert re.search(r"^  Pays back within the horizon\s+<1%\s+never", text, re.M), text
    report = build([load_scenario(hackney)], results, with_sensitivity=False)
    sure = glance(report)[2]
    assert sure.answer == "<1%"
    assert "it did in <1% of 20,000 draws" in sure.detail
    assert "horizon in <1% of draws" in sure.detail
    c = compare([str(hackney)], draws=20_000, seed=3, perspective="nhs", thresholds=(1.0,))
    assert "<1%" in compare_table(c)
