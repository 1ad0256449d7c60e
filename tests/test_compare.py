"""``sroi compare``: league table, P(best), pairwise, ranks, acceptability and
payer probabilities, from one run with common random numbers."""

from __future__ import annotations

import io
import itertools
import json
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import sroi
from sroi.analysis.compare import Comparison, compare, rank_probabilities, ranked_return
from sroi.cli.main import main
from sroi.results.perspective import perspective_draws
from sroi.scenario.discover import scenario_files

ROOT = Path(__file__).resolve().parents[1]
FAMILY = ROOT / "scenarios" / "family_action_pss"
NEW_AREA = ROOT / "scenarios" / "replication" / "new_area.yaml"
DRAWS = 600

# Every uncertain value is shared, so a copy under another id draws exactly
# the same numbers: the two must tie in every draw.
TWIN = """\
schema_version: 1
id: twin_a
name: Twin A
currency: GBP
price_year: 2011
delivery:
  years: 3
  referrals_per_year: {pert: [20, 30, 45], shared: true}
  uptake: {beta: {successes: 24, trials: 37}, shared: true}
volunteers:
  pool: 10
  turnover: 0.3
  hours_per_user: 40
  training_hours: 27
  supervision_hours_per_year: 12
  expenses_per_hour: 2
  value_per_hour: {uniform: [6.08, 12.76], shared: true}
costs:
  coordinator: {fte: 0.6, salary: {pert: [22000, 25000, 30000], shared: true}, on_costs: 0.2}
  lines:
    training: {label: Training, amount: 500, per: year}
effect:
  risk_without: {beta: {mean: 0.54, sd: 0.08}, shared: true}
  relative_risk: {pert: [0.3, 0.5, 0.9], shared: true}
outcomes:
  nhs_costs:
    label: Depression care avoided
    stakeholder: NHS
    payer: nhs
    value_type: fiscal
    per: case_averted
    proxy: {gamma: {mean: 5000, sd: 1500}, shared: true}
    duration: 1
"""


@pytest.fixture(scope="module")
def sites() -> Comparison:
    return compare(
        [FAMILY, NEW_AREA],
        draws=DRAWS,
        seed=5,
        thresholds=np.linspace(0.0, 5.0, 21).tolist(),
        contributions={"nhs": 40_000, "local_authority": 15_000},
        by_year=4,
    )


@pytest.fixture()
def twins(tmp_path: Path) -> list[Path]:
    a = tmp_path / "twin_a.yaml"
    a.write_text(TWIN, encoding="utf-8")
    b = tmp_path / "twin_b.yaml"
    b.write_text("extends: twin_a.yaml\nid: twin_b\nname: Twin B\n", encoding="utf-8")
    return [a, b]


def test_prob_best_sums_to_one(sites: Comparison) -> None:
    assert sites.league["prob_best"].sum() == pytest.approx(1.0, abs=1e-12)
    ranks = sites.ranks.to_numpy()
    assert np.allclose(ranks.sum(axis=0), 1.0) and np.allclose(ranks.sum(axis=1), 1.0)
    assert np.allclose(sites.league["prob_best"], sites.ranks[1])


def test_pairwise_probabilities_are_complementary(sites: Comparison) -> None:
    p = sites.pairwise
    ids = list(p.index)
    assert len(ids) == 5
    for a in ids:
        assert np.isnan(p.loc[a, a])
        for b in ids:
            if a != b:
                assert p.loc[a, b] + p.loc[b, a] == pytest.approx(1.0, abs=1e-12)


def test_league_is_ordered_by_mean_rank(sites: Comparison) -> None:
    ranks = sites.league["mean_rank"].to_numpy()
    assert np.all(np.diff(ranks) >= 0)
    assert ranks.sum() == pytest.approx(sum(range(1, 6)))
    assert (sites.league["rank_p5"] <= sites.league["mean_rank"]).all()
    assert (sites.league["mean_rank"] <= sites.league["rank_p95"]).all()


def test_same_draws_as_sroi_run(sites: Comparison) -> None:
    """Common random numbers: the draws are exactly those of one sroi.run."""
    files = scenario_files([str(FAMILY), str(NEW_AREA)])
    results = sroi.run(files, draws=DRAWS, seed=5)
    for sid in sites.names:
        assert np.array_equal(
            results.metric("sroi_ratio", sid), sites.sroi_ratio[sid], equal_nan=True
        )
        row = sites.league.loc[sid]
        assert row["npv_mean"] == pytest.approx(float(np.mean(results.metric("npv", sid))))
        # The expected values are the ones sroi run leads with: for a ratio,
        # mean numerator / mean denominator, not the mean of the ratios.
        for metric in ("unit_cost", "cost_per_case_averted", "sroi_ratio", "npv"):
            got = row[f"{metric}_expected"]
            assert got == pytest.approx(results.expected(metric, sid), rel=1e-12), metric
        assert row["unit_cost_expected"] != pytest.approx(row["unit_cost_mean"], rel=1e-6)


def test_identical_scenarios_with_everything_shared_tie(twins: list[Path]) -> None:
    c = compare(twins, draws=300, seed=1, contributions={"nhs": 1000})
    assert np.array_equal(c.sroi_ratio["twin_a"], c.sroi_ratio["twin_b"])
    assert c.pairwise.loc["twin_a", "twin_b"] == 0.0
    assert c.pairwise.loc["twin_b", "twin_a"] == 0.0
    assert c.league["prob_best"].tolist() == [0.5, 0.5]
    assert c.league["mean_rank"].tolist() == [1.5, 1.5]
    assert np.allclose(c.ranks.to_numpy(), 0.5)
    assert c.acceptability["twin_a"].equals(c.acceptability["twin_b"])
    payers = c.payers.set_index("scenario")["prob_recovered"]
    assert payers["twin_a"] == payers["twin_b"]


def test_acceptability_curve_is_non_increasing(sites: Comparison) -> None:
    curve = sites.acceptability
    assert list(curve.index) == sorted(curve.index)
    assert (np.diff(curve.to_numpy(), axis=0) <= 0).all()
    assert (curve.loc[0.0] == 1.0).all()
    at_one = sites.acceptability.loc[1.0]
    for sid in sites.names:
        assert at_one[sid] == pytest.approx(float(np.mean(sites.sroi_ratio[sid] >= 1.0)))


def test_payer_probability_is_monotone_in_contribution(sites: Comparison) -> None:
    grid = np.linspace(0.0, 200_000.0, 41)
    for sid in sites.names:
        for payer in ("nhs", "local_authority", "central_government"):
            probs = [sites.prob_recovered(sid, payer, c) for c in grid]
            assert all(b <= a for a, b in itertools.pairwise(probs)), (sid, payer)
    table = sites.payers.set_index(["scenario", "payer"])
    assert table.loc[("oxford", "nhs"), "prob_recovered"] == pytest.approx(
        sites.prob_recovered("oxford", "nhs", 40_000)
    )
    assert set(sites.payers["by_year"]) == {4}


def test_payer_value_grows_with_the_year_and_ends_at_the_pv() -> None:
    files = scenario_files([str(FAMILY)])[:2]
    early = compare(files, draws=200, seed=2, by_year=0)
    late = compare(files, draws=200, seed=2, by_year=10)
    whole = compare(files, draws=200, seed=2)
    results = sroi.run(files, draws=200, seed=2)
    for sid in early.names:
        for payer in ("nhs", "society"):
            assert np.all(early.payer_values[sid][payer] <= late.payer_values[sid][payer] + 1e-9)
            assert np.allclose(
                whole.payer_values[sid][payer],
                results.metric(f"value_pv_by_payer.{payer}", sid),
            )


def test_rank_probabilities_split_ties() -> None:
    ratios = np.array([[3.0, 1.0, np.nan], [3.0, 2.0, 1.0], [1.0, 3.0, 0.0]])
    probs = rank_probabilities(ratios)
    assert np.allclose(probs.sum(axis=0), 1.0) and np.allclose(probs.sum(axis=1), 1.0)
    # a ties with b for first in draw 1 (half of rank 1, half of rank 2), is
    # last in draw 2, and last in draw 3, where NaN ranks below c's 0.
    assert probs[0].tolist() == pytest.approx([1 / 6, 1 / 6, 2 / 3])
    assert probs[1].tolist() == pytest.approx([1 / 6 + 1 / 3, 1 / 6 + 1 / 3, 0.0])


def test_compare_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="payer"):
        compare(FAMILY / "oxford.yaml", draws=10, contributions={"council": 5.0})
    with pytest.raises(ValueError, match=">= 0"):
        compare(FAMILY / "oxford.yaml", draws=10, contributions={"nhs": -1.0})
    with pytest.raises(ValueError, match="draw"):
        compare(FAMILY / "oxford.yaml", draws=0)


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(["compare", *args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def _strict(text: str) -> Any:
    return json.loads(text, parse_constant=lambda c: pytest.fail(f"non-finite {c} in JSON"))


def test_cli_table(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["compare", str(FAMILY), str(NEW_AREA), "--draws", "200"])
    out = capsys.readouterr().out
    assert code == 0
    for heading in (
        "League table",
        "Ranking by social return (sroi_ratio)",
        "P(row beats column)",
        "Acceptability",
    ):
        assert heading in out
    assert "Payers" not in out  # only with --contribution
    # The price year is named as the report names it, not as a bare "2011".
    assert "| money in GBP at FY 2011-12 prices\n" in out


def test_the_payers_table_names_the_prices_of_the_contribution(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A contribution is read at the run's prices; the table's footer said
    only "[GBP; ...]", so this year's money was compared with 2011-12's."""
    args = ["compare", str(FAMILY / "oxford.yaml"), "--draws", "50", "--contribution", "nhs=1000"]
    assert main(args) == 0
    footer = " ".join(capsys.readouterr().out.split())
    assert "[GBP at FY 2011-12 prices (--price-year to read another year's);" in footer
    assert main([*args, "--price-year", "2025"]) == 0
    assert "[GBP at FY 2025-26 prices" in " ".join(capsys.readouterr().out.split())


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "compare",
            str(FAMILY),
            "--draws",
            "200",
            "--seed",
            "3",
            "--json",
            "--thresholds",
            "1,2",
            "--contribution",
            "nhs=50000",
            "--contribution",
            "local_authority=10000,central_government=5000",
            "--by-year",
            "5",
        ]
    )
    doc = _strict(capsys.readouterr().out)
    assert code == 0
    assert set(doc) == {
        "sroi_version",
        "seed",
        "draws",
        "sampler",
        "perspective",
        "currency",
        "price_year",
        "files",
        "ranked_by",
        "thresholds",
        "by_year",
        "contributions",
        "scenarios",
    }
    assert doc["thresholds"] == [1.0, 2.0] and doc["by_year"] == 5
    assert sorted(doc["files"]) == ["hackney", "oxford", "swaffham", "west_mansfield"]
    assert all(len(f["sha256"]) == 64 for f in doc["files"].values())
    assert doc["contributions"] == {
        "nhs": 50000.0,
        "local_authority": 10000.0,
        "central_government": 5000.0,
    }
    first = doc["scenarios"][0]
    assert set(first) == {
        "id",
        "name",
        "file",
        "position",
        "sroi_ratio",
        "npv",
        "ratio",
        "net",
        "unit_cost",
        "cost_per_case_averted",
        "prob_best",
        "cautions",
        "rank",
        "beats",
        "prob_sroi_at_least",
        "payers",
    }
    assert set(first["payers"]) == {"nhs", "local_authority", "central_government"}
    assert set(first["payers"]["nhs"]) == {
        "contribution",
        "by_year",
        "prob_recovered",
        "value_mean",
        "value_p5",
        "value_p95",
    }
    assert sum(s["prob_best"] for s in doc["scenarios"]) == pytest.approx(1.0)
    assert [s["position"] for s in doc["scenarios"]] == [1, 2, 3, 4]
    assert first["file"].endswith(".yaml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--contribution", "council=5"], "unknown payer"),
        (["--contribution", "nhs"], "PAYER=AMOUNT"),
        (["--contribution", "nhs=-3"], ">= 0"),
        (["--contribution", "nhs=1e300"], "at most 1,000,000,000,000 (the largest a scenario"),
        (
            ["--contribution", "nhs=1,nhs=2"],
            "argument --contribution: payer nhs is given twice; give each payer one amount",
        ),
        (
            ["--contribution", "nhs=1", "--contribution", "local_authority=3,nhs=2"],
            "argument --contribution: payer nhs is given twice; give each payer one amount",
        ),
        (["--thresholds", "1,two"], "numbers separated by commas"),
        (["--by-year", "3"], "--by-year needs --contribution"),
        (
            ["--by-year", "1000", "--contribution", "nhs=1"],
            "sroi compare: error: --by-year 1000 is past the scenarios' horizon: their analysis "
            "years run from 0 (the first delivery year) to 66; give 66 or less, or leave it out "
            "to count every year",
        ),
        (["--draws", "0"], ">= 1"),
    ],
)
def test_cli_refuses_bad_arguments(args: list[str], message: str) -> None:
    code, out, err = _cli(str(FAMILY / "oxford.yaml"), *args)
    assert code == 2
    assert message in err
    assert out == ""
    assert err.startswith("usage: sroi compare")  # the command's own usage


def test_by_year_past_the_horizon_is_refused_in_python_too(monkeypatch) -> None:
    import sroi.analysis.collect

    def no_drawing(*args, **kwargs):
        raise AssertionError("drew before refusing by_year")

    # Refused once the scenarios are loaded, before any draw is made.
    with monkeypatch.context() as m:
        m.setattr(sroi.analysis.collect.RunPlan, "build", no_drawing)
        with pytest.raises(
            ValueError, match=r"^by_year 67 is past the scenarios' horizon: .* to 66;"
        ):
            compare(FAMILY / "oxford.yaml", draws=10, by_year=67)
    assert compare(FAMILY / "oxford.yaml", draws=10, by_year=66).by_year == 66


def test_cli_reports_invalid_scenarios(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nid: bad\n", encoding="utf-8")
    code, out, err = _cli(str(bad), "--draws", "10")
    assert code == 2 and "bad.yaml" in err and out == ""


def test_value_at_no_cost_ranks_first_not_last(tmp_path: Path) -> None:
    """A proposal with no cash cost and public value in every draw ranked
    last, P(best) 0, against one whose public NPV is negative: its return is
    undefined (0 cost) and undefined ranked last."""
    hand = Path(__file__).parent / "cases" / "hand_a.yaml"
    text = hand.read_text(encoding="utf-8")
    free = text.replace("id: hand_a", "id: free").replace("salary: 20000", "salary: 0")
    for line in ("rent", "leaflets", "packs", "insurance", "checks", "setup"):
        free = re.sub(rf"({line}: {{label: [^,]+, amount: )\d+", r"\g<1>0", free)
    free = free.replace("expenses_per_hour: 2", "expenses_per_hour: 0")
    (tmp_path / "hand_a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "free.yaml").write_text(free, encoding="utf-8")
    c = compare(tmp_path, draws=50, seed=1, perspective="public_sector")
    assert c.ratios["free"].tolist() == [np.inf] * 50  # value > 0 at no cash cost
    assert list(c.league.index) == ["free", "hand_a"]
    assert c.league.loc["free", "prob_best"] == 1.0
    out = io.StringIO()
    with redirect_stdout(out):
        assert (
            main(["compare", str(tmp_path), "--draws", "50", "--perspective", "public_sector"]) == 0
        )
    assert (
        "free: no cost in any draw, so no public-sector return ('-'); a draw with" in out.getvalue()
    )
    # No value at no cost is still undefined, and still ranks last.
    d = perspective_draws(
        {"public_value_pv": np.array([0.0, 5.0]), "cash_cost_pv": np.array([0.0, 0.0])},
        "public_sector",
    )
    assert np.isnan(ranked_return(d)[0]) and ranked_return(d)[1] == np.inf
