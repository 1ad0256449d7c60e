"""A scenario far from the pilots' experience says so wherever its results
are shown: `sroi replicate` queried a city's 252 referrals a year on one
full-time post, but the run, the report, the workbook and the comparison of
the file it wrote led with a 100% chance of a return above 1 and no word of
it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sroi
from sroi.cli.main import main
from sroi.results.cautions import scenario_cautions

ROOT = Path(__file__).resolve().parents[1]
PILOTS = ROOT / "scenarios" / "family_action_pss"
TEMPLATE = ROOT / "scenarios" / "replication" / "new_area.yaml"

#: 252 referrals a year (14,000 births x 1.8%) on one full-time post.
CITY = {"delivery.referrals_per_year": 252, "costs.coordinator.fte": 1, "volunteers.pool": 200}
HAND_A = ROOT / "tests" / "cases" / "hand_a.yaml"
# Working: the pilots had 32 to 45 referrals a year, so 252 > 2 x 45 = 90.
# The busiest post: 45 a year on the template's smallest, 0.5 FTE, is 90 per
# FTE; 1 x 90 < 252.  Scaled to this caseload (252 / 45 = 5.6 times), the
# template's 0.5 to 1.0 FTE is 2.8 to 5.6 FTE.  A pool of 200 befrienders,
# 2.5 women each a year, supports 500 a year: the cap does not bind.
CASELOAD = (
    "252 referrals a year at full running is more than twice the most a pilot site had "
    "(45): the results are beyond the pilots' experience, so treat them with care."
)
POST = (
    "1 FTE for 252 referrals a year (252 a year per full-time post) is a smaller post for "
    "its caseload than the pilots' (45 a year on 0.5 FTE, 90 per full-time post, at the "
    "busiest); for this caseload the template would set 2.8 to 5.6 FTE. The model assumes "
    "the post copes, so the area may look cheaper than it would be."
)


@pytest.fixture(scope="module")
def city() -> sroi.Scenario:
    return sroi.with_values(sroi.load_scenario(TEMPLATE), CITY)


def test_the_pilots_and_the_template_raise_none() -> None:
    files = [*sorted(PILOTS.glob("[a-z]*.yaml")), TEMPLATE]
    assert len(files) == 5
    assert all(scenario_cautions(sroi.load_scenario(f)) == [] for f in files)


def test_a_city_on_one_post(city: sroi.Scenario) -> None:
    found = scenario_cautions(city)
    assert [c.path for c in found] == ["delivery.referrals_per_year", "costs.coordinator.fte"]
    assert [c.sentence for c in found] == [CASELOAD, POST]


def _hand_a(tmp_path: Path, old: str, new: str) -> sroi.Scenario:
    """tests/cases/hand_a.yaml (40 referrals a year on 0.5 FTE, salary 20,000
    at FY 2011-12 prices, a pool of 4 that caps the caseload) with one edit."""
    text = HAND_A.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "s.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return sroi.load_scenario(path)


CAP = "volunteers.pool"


def test_a_caseload_below_the_pilots_and_a_ramp_above_one(tmp_path: Path) -> None:
    template = sroi.load_scenario(TEMPLATE)
    small = sroi.with_values(template, {"delivery.referrals_per_year": 15})
    # 15 < 32 / 2 = 16: under half the fewest a pilot had.
    assert [c.sentence for c in scenario_cautions(small)] == [
        "15 referrals a year at full running is less than half the fewest a pilot site had "
        "(32): the results are beyond the pilots' experience, so treat them with care."
    ]
    assert scenario_cautions(sroi.with_values(template, {"delivery.referrals_per_year": 16})) == []
    # 40 a year at ramp [0.5, 1, 1] is within; the busiest year of [0.5, 1, 2.5] has 100 > 90.
    assert [c.path for c in scenario_cautions(_hand_a(tmp_path, "x", "x"))] == [CAP]
    grown = _hand_a(tmp_path, "ramp: [0.5, 1, 1]", "ramp: [0.5, 1, 2.5]")
    # ... and 100 a year is more than 0.5 FTE x 90 = 45 per post.
    assert [c.path for c in scenario_cautions(grown)] == [
        "delivery.referrals_per_year",
        "costs.coordinator.fte",
        CAP,
    ]


def test_a_monthly_salary_is_queried_at_its_own_prices(tmp_path: Path) -> None:
    template = sroi.load_scenario(TEMPLATE)
    monthly = sroi.with_values(template, {"costs.coordinator.salary": 3200})
    # The template's range is 21,000 to 30,000 at FY 2011-12 prices; 3,200 is
    # under half of 21,000.
    assert [c.sentence for c in scenario_cautions(monthly)] == [
        "3,200 a year is less than half the lowest of the pilots' range (21,000 to 30,000 at "
        "FY 2011-12 prices); check that it is a year's gross salary, in the currency's whole "
        "units."
    ]
    # At FY 2024-25 prices the range is 21,000 x 100 / 70.3261 = 29,861 to 42,659:
    # 29,000 a year is within it, 3,200 is not.
    later = {"costs.coordinator.salary": {"value": 29000, "price_year": 2024}}
    assert scenario_cautions(sroi.with_values(template, later)) == []
    # In another currency the pilots' pounds say nothing.
    pounds = _hand_a(tmp_path, "salary: 20000", "salary: 3200")
    assert [c.path for c in scenario_cautions(pounds)] == ["costs.coordinator.salary", CAP]
    path = tmp_path / "eur.yaml"
    path.write_text(
        HAND_A.read_text(encoding="utf-8")
        .replace("salary: 20000", "salary: 3200")
        .replace("currency: GBP", "currency: EUR"),
        encoding="utf-8",
    )
    assert [c.path for c in scenario_cautions(sroi.load_scenario(path))] == [CAP]


def test_run_table_and_json(city: sroi.Scenario) -> None:
    from sroi.reports.table import run_table

    results = sroi.run(city, draws=0)
    text = " ".join(run_table(results).split())
    assert f"Note: {CASELOAD}" in text and f"Note: {POST}" in text
    assert json.loads(results.to_json())["scenarios"][0]["cautions"] == [CASELOAD, POST]
    pilot = sroi.run(sroi.load_scenario(PILOTS / "oxford.yaml"), draws=0)
    assert json.loads(pilot.to_json())["scenarios"][0]["cautions"] == []


def test_compare_notes_the_city_under_its_scenarios(
    city: sroi.Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sroi.analysis.compare import compare
    from sroi.reports.compare import compare_table

    oxford = sroi.load_scenario(PILOTS / "oxford.yaml")
    c = compare([city, oxford], draws=200, seed=1)
    assert c.cautions == {"new_area": (CASELOAD, POST), "oxford": ()}
    text = " ".join(compare_table(c).split())
    assert f"Note (new_area): {CASELOAD}" in text
    assert text.index("Note (new_area)") < text.index("League table")
    entries = {e["id"]: e for e in c.to_dict()["scenarios"]}
    assert entries["new_area"]["cautions"] == [CASELOAD, POST]
    assert entries["oxford"]["cautions"] == []


def test_report_card_findings_and_workbook(city: sroi.Scenario, tmp_path: Path) -> None:
    import openpyxl

    from sroi.reports import html
    from sroi.reports.report import build
    from sroi.reports.xlsx import write as write_workbook

    results = sroi.run(city, draws=200, keep_outcomes=True)
    report = build([city], results, with_sensitivity=False)
    page = " ".join(html.render(report).replace("&#39;", "'").split())
    assert CASELOAD in page and POST in page
    # The "How sure are we?" card says what its chances leave out.
    assert (
        "These chances count only the uncertainty of the inputs as written, not that New "
        "area (replication template) lies beyond the pilots' experience" in page
    )
    out = tmp_path / "city.xlsx"
    write_workbook(report, out)
    sheet = openpyxl.load_workbook(out)["Summary"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    heading = cells.index("Check before trusting these results")
    assert cells[heading + 1 : heading + 3] == [
        f"New area (replication template): {CASELOAD}",
        f"New area (replication template): {POST}",
    ]


def test_the_command_line_prints_the_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "city.yaml"
    path.write_text(
        f"extends: {TEMPLATE}\nid: city\nname: City\n"
        "delivery:\n  referrals_per_year: 252\ncosts:\n  coordinator:\n    fte: 1\n",
        encoding="utf-8",
    )
    assert main(["run", str(path), "--draws", "0", "--allow-extends", str(TEMPLATE.parent)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"Note: {CASELOAD}" in out
