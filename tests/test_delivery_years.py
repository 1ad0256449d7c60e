"""Women supported, costs and value are totals over the delivery years: each
table that shows them says over how many, once per site and for the
programme, and heads the count "over the delivery years"."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import sroi
from sroi.reports import headline, style, xlsx
from sroi.reports.report import build
from sroi.reports.table import run_table
from sroi.scenario.discover import scenario_files
from sroi.vocabulary import METRICS

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "scenarios" / "family_action_pss"


@pytest.fixture(scope="module")
def run() -> sroi.Results:
    """Two pilot sites, Oxford cut to 2 delivery years: the sites differ."""
    files = scenario_files([str(SITES)])
    hackney = sroi.load_scenario(next(f for f in files if f.endswith("hackney.yaml")))
    oxford = sroi.load_scenario(next(f for f in files if f.endswith("oxford.yaml")))
    return sroi.run([hackney, _years(oxford, 2)], draws=100, seed=1, keep_outcomes=True)


def _years(scenario: sroi.Scenario, years: int) -> sroi.Scenario:
    data = scenario.model_dump(mode="json", exclude_none=True)
    data["delivery"]["years"] = years
    data["delivery"]["ramp"] = data["delivery"].get("ramp", [1] * 3)[:years]
    return sroi.Scenario.model_validate(data)


def test_the_count_is_headed_over_the_delivery_years() -> None:
    assert METRICS["users"].heading("GBP") == "Women supported over the delivery years [women]"
    assert METRICS["cases_averted"].heading("£", spelt_out=True) == (
        "Cases of perinatal depression averted over the delivery years [cases]"
    )
    assert METRICS["unit_cost"].heading("GBP") == "Unit cost [GBP per woman]"


def test_sroi_run_says_each_blocks_delivery_years(run: sroi.Results) -> None:
    lines = run_table(run).splitlines()
    note = ": women supported, costs and value below are for all of them, not a year's"
    for title, years in (
        ("Hackney (Family Action Perinatal Support Service pilot) [hackney]", "3 delivery years"),
        ("Oxford (Family Action Perinatal Support Service pilot) [oxford]", "2 delivery years"),
        ("Programme: all scenarios together", "2 to 3 delivery years"),
    ):
        assert lines[lines.index(title) + 1] == f"  {years}{note}"
    assert any(x.startswith("  Women supported over the delivery years [women]  ") for x in lines)


def test_the_headline_table_says_each_columns_delivery_years(run: sroi.Results) -> None:
    html = headline.table_html(run)
    assert '<th scope="col">Hackney<span class="ci">3 delivery years</span></th>' in html
    assert '<th scope="col">Oxford<span class="ci">2 delivery years</span></th>' in html
    assert (
        '<th scope="col">Programme (all sites)<span class="ci">2 to 3 delivery years</span></th>'
        in html
    )
    assert '<th scope="row">Women supported over the delivery years [women]</th>' in html


def test_the_workbook_summary_says_each_columns_delivery_years(
    run: sroi.Results, tmp_path: Path
) -> None:
    book = tmp_path / "b.xlsx"
    xlsx.write(build(list(run.loaded), run, with_sensitivity=False), book)
    rows = list(openpyxl.load_workbook(book)["Summary"].iter_rows(values_only=True))
    assert rows[0][0] is not None and (
        " Women supported, costs and values are totals over the delivery years, not a year's: "
        "Hackney (Family Action Perinatal Support Service pilot), 3 delivery years; "
        "Oxford (Family Action Perinatal Support Service pilot), 2 delivery years; "
        "the programme, 2 to 3 delivery years."
    ) in " ".join(str(x) for x in rows[0] + rows[1] if x)
    head = next(r for r in rows if r[0] == "Result")
    assert head[2:5] == (  # the column names scripts read stay the scenarios' names
        "Hackney (Family Action Perinatal Support Service pilot)",
        "Oxford (Family Action Perinatal Support Service pilot)",
        "Programme",
    )
    assert any(r[0] == "Women supported over the delivery years [women]" for r in rows)


def test_one_delivery_year_is_singular() -> None:
    oxford = sroi.load_scenario(SITES / "oxford.yaml")
    assert style.delivery_years([_years(oxford, 1)]) == "1 delivery year"
