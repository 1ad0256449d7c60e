"""Price years on the command line, in the API and through ``extends``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import sroi
from sroi.cli.main import main
from sroi.prices import GDP_DEFLATOR
from sroi.scenario.loader import check_file
from sroi.scenario.money import money_values, price_factors, with_price_year

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "scenarios" / "family_action_pss"
CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(SITES / "_common.yaml", tmp_path / "_common.yaml")
    for sid, extra in (("a", ""), ("b", "price_year: 2015\n")):
        (tmp_path / f"{sid}.yaml").write_text(
            f"extends: _common.yaml\nid: {sid}\nname: Site {sid}\n{extra}"
            "delivery:\n  referrals_per_year: {value: 40, source: c4eo_case_study}\n"
            "volunteers:\n  pool: {value: 10, source: c4eo_case_study}\n"
        )
    return tmp_path


def test_mixed_price_years_suggest_the_option(folder: Path, capsys) -> None:
    assert main(["run", str(folder), "--draws", "0"]) == 2
    assert "pass --price-year YEAR" in capsys.readouterr().err


def test_validate_checks_a_run_at_one_price_year(folder: Path, capsys) -> None:
    # Each file is valid alone; together they need one price year, which
    # validate takes as run does.
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "b.yaml:4:13: price_year: expected 2011" in err
    assert "run or validate them together at one price year, pass --price-year YEAR" in err
    assert "these scenarios cannot run together as one programme (each may still run alone)" in err
    assert main(["validate", str(folder), "--price-year", "2019"]) == 0
    assert capsys.readouterr().err == ""


def test_price_year_option_runs_them_together(folder: Path, capsys) -> None:
    assert main(["run", str(folder), "--draws", "0", "--price-year", "2019", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["price_year"] == 2019
    assert [s["price_year"] for s in doc["scenarios"]] == [2019, 2019]
    # Site b sets 2015 without new figures: its inherited money is converted,
    # so a and b, identical but for the label, give the same results.
    a, b = doc["scenarios"]
    assert a["base_case"]["value_pv"] == pytest.approx(b["base_case"]["value_pv"], rel=1e-12)
    assert a["base_case"]["cost_pv"] == pytest.approx(b["base_case"]["cost_pv"], rel=1e-12)


def test_header_names_the_price_year(capsys) -> None:
    path = str(SITES / "oxford.yaml")
    assert main(["run", path, "--draws", "0", "--price-year", "2024"]) == 0
    assert "money in GBP at FY 2024-25 prices" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["run", "compare", "report", "sensitivity"])
def test_every_money_command_takes_the_option(command: str, capsys) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "--price-year Y" in capsys.readouterr().out


def test_a_year_outside_the_table_is_refused(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["run", str(SITES / "oxford.yaml"), "--price-year", "2007"])
    assert "2008 to 2025" in capsys.readouterr().err
    with pytest.raises(ValueError, match="2008 to 2025"):
        sroi.run(SITES / "oxford.yaml", draws=0, price_year=2030)


def test_api_price_year_scales_money() -> None:
    """Every money result moves by index(2024) / index(2011); ratios stay."""
    base = sroi.run(SITES / "oxford.yaml", draws=0)
    later = sroi.run(SITES / "oxford.yaml", draws=0, price_year=2024)
    k = GDP_DEFLATOR[2024] / GDP_DEFLATOR[base.scenarios[0].price_year]
    for metric in ("cost_pv", "value_pv", "npv", "public_value_pv", "cash_cost_pv"):
        assert later.base_value(metric) == pytest.approx(k * base.base_value(metric), rel=1e-12)
    for metric in ("sroi_ratio", "public_roi", "cashable_roi", "payback_year"):
        assert later.base_value(metric) == pytest.approx(base.base_value(metric), rel=1e-12)


def test_a_child_at_another_year_marks_what_it_inherits() -> None:
    """Inherited money keeps the parent's year; the child's own figures take its year."""
    child = sroi.load_scenario(CASES / "hand_prices_child.yaml")
    years = {p: v.price_year for p, v in money_values(child).items()}
    assert years["costs.lines.room.amount"] == 2011  # written in the parent
    assert years["costs.coordinator.salary"] == 2013  # its own price year
    assert years["costs.lines.leaflets.amount"] is None  # the child's: at 2015
    factors = price_factors(child)
    assert factors["costs.lines.leaflets.amount"] == 1.0
    assert factors["costs.lines.room.amount"] == GDP_DEFLATOR[2015] / GDP_DEFLATOR[2011]


@pytest.mark.parametrize(
    ("parent", "child", "refused"),
    [
        # A price_year alone over inherited money would relabel the number:
        # refused, whether the parent wrote a bare number ...
        ("proxy: 300", "proxy: {price_year: 2020}", "number 300 (at 2011 prices) as 2020"),
        # ... or a value mapping with its own year ...
        (
            "proxy: {value: 300, price_year: 2013}",
            "proxy: {price_year: 2015, note: x}",
            "number 300 (at 2013 prices) as 2015",
        ),
        ("proxy: {pert: [1, 2, 3]}", "proxy: {price_year: 2012}", "pert distribution"),
        # Restating the year the number is already at changes nothing.
        ("proxy: {value: 300, price_year: 2013}", "proxy: {price_year: 2013}", None),
        ("proxy: 300", "proxy: {price_year: 2011, note: x}", None),
        # A new number with its year replaces the parent's whole.
        ("proxy: 300", "proxy: {value: 310, price_year: 2020}", None),
    ],
)
def test_a_child_may_not_relabel_inherited_money(
    tmp_path: Path, parent: str, child: str, refused: str | None
) -> None:
    base = (CASES / "hand_a.yaml").read_text()
    assert base.count("proxy: 300") == 1
    (tmp_path / "parent.yaml").write_text(base.replace("proxy: 300", parent))
    (tmp_path / "child.yaml").write_text(
        f"extends: parent.yaml\nid: child\noutcomes:\n  volunteering:\n    {child}\n"
    )
    scenario, problems = check_file(tmp_path / "child.yaml")
    if refused is None:
        assert scenario is not None, problems
        return
    assert scenario is None
    (problem,) = problems
    assert (Path(problem.mark.file).name, problem.mark.line) == ("child.yaml", 5)
    assert problem.path == "outcomes.volunteering.proxy.price_year"
    assert refused in problem.message
    assert "write the number too" in problem.message


def test_with_price_year_keeps_every_value_at_its_year() -> None:
    s = sroi.load_scenario(CASES / "hand_prices.yaml")
    moved = with_price_year(s, 2020)
    assert moved.price_year == 2020
    assert {p: v.price_year for p, v in money_values(moved).items()} == {
        "volunteers.expenses_per_hour": 2011,
        "volunteers.value_per_hour": 2011,
        "costs.coordinator.salary": 2013,
        "costs.lines.room.amount": 2011,
        "outcomes.health.proxy": 2013,
    }
    with pytest.raises(ValueError, match="2008 to 2025"):
        with_price_year(s, 1999)


def test_report_and_workbook_show_each_conversion(tmp_path: Path) -> None:
    """Name, as written, price year, factor and value used, in the HTML and the Inputs sheet."""
    from sroi.reports import html
    from sroi.reports.inputs import input_rows
    from sroi.reports.report import build

    s = sroi.load_scenario(CASES / "hand_prices.yaml")
    report = build([s], sroi.run(s, draws=0, keep_outcomes=True), with_sensitivity=False)
    page = html.render(report)
    factor = GDP_DEFLATOR[2011] / GDP_DEFLATOR[2013]
    assert "Money inputs and price years" in page
    assert f"<td>2013-14</td><td>{factor:.4f}</td><td>{1000 * factor:,.2f}</td>" in page
    assert '<td class="text">Co-ordinator salary</td>' in page
    salary = next(r for r in input_rows(s) if r.path == "costs.coordinator.salary")
    assert (salary.central, salary.price_year, salary.factor) == (1000.0, 2013, factor)
    assert salary.used == 1000.0 * factor
    openpyxl = pytest.importorskip("openpyxl")
    from sroi.reports import xlsx

    book = tmp_path / "prices.xlsx"
    xlsx.write(report, book)
    ws = openpyxl.load_workbook(book)["Inputs"]
    header = [c.value for c in ws[1]]
    path_col = header.index("Path")
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[path_col] == salary.path)
    assert row[header.index("Input")] == "Co-ordinator salary"
    assert row[header.index("Central value as written")] == 1000.0
    assert row[header.index("Price year (money)")] == 2013
    assert row[header.index("Price factor")] == pytest.approx(factor, rel=1e-15)
    assert row[header.index("Central value used (base case)")] == pytest.approx(1000 * factor)


def _in_euros(tmp_path: Path, case: str) -> Path:
    """A hand-worked case with its currency changed to EUR."""
    text = (CASES / case).read_text(encoding="utf-8")
    assert "currency: GBP" in text
    path = tmp_path / f"eur_{case}"
    path.write_text(text.replace("currency: GBP", "currency: EUR"), encoding="utf-8")
    return path


def test_money_in_another_currency_is_never_converted_with_the_uk_deflator(
    tmp_path: Path, capsys
) -> None:
    # hand_prices writes the salary and a proxy at 2013-14 prices in a 2011-12
    # scenario: in GBP they convert; in EUR each is refused where it is written.
    _, problems = check_file(_in_euros(tmp_path, "hand_prices.yaml"))
    found = [(p.mark.line, p.path) for p in problems]
    assert found == [
        (25, "costs.coordinator.salary.price_year"),
        (40, "outcomes.health.proxy.price_year"),
    ]
    assert "a EUR scenario cannot convert money from 2013-14 prices to 2011-12" in str(problems[0])
    assert "deflator table measures UK prices in GBP" in str(problems[0])


def test_price_year_option_refuses_another_currency(tmp_path: Path, capsys) -> None:
    eur = str(_in_euros(tmp_path, "hand_a.yaml"))
    for command in ("run", "validate"):
        assert (
            main([command, eur, "--price-year", "2015", *(["--draws", "0"] * (command == "run"))])
            == 2
        )
        err = capsys.readouterr().err
        assert ":11:11: currency: EUR money cannot be put at 2015-16 prices" in err, err
        assert "own 2011-12 prices" in err
    with pytest.raises(sroi.ScenarioError, match="EUR money cannot be put at 2015-16 prices"):
        sroi.run(eur, draws=0, price_year=2015)
    with pytest.raises(ValueError, match="cannot be put at 2015-16 prices"):
        with_price_year(sroi.load_scenario(eur), 2015)
    # Its own price year asks for no conversion, and runs.
    assert main(["run", eur, "--draws", "0", "--price-year", "2011"]) == 0
    assert "money in EUR at FY 2011-12 prices" in capsys.readouterr().out


def test_the_manifest_names_the_price_year_of_the_results(folder: Path, capsys) -> None:
    # Site b's file is at 2015 prices; run at 2019, its results are at 2019
    # prices, and the manifest's column says which year it gives.
    out = folder / "r.html"
    assert (
        main(["report", str(folder), "--draws", "0", "-o", str(out), "--price-year", "2019"]) == 0
    )
    page = out.read_text(encoding="utf-8")
    assert '<th scope="col">Results at price year</th></tr></thead>' in page
    rows = page.split('<table class="manifest files">')[1].split("</table>")[0]
    assert rows.count("<td>2019</td>") == 2 and "<td>2015</td>" not in rows


@pytest.mark.parametrize("written", ["2019-20", "2019/20", "2019-2020", " 2019 - 20 "])
def test_price_year_reads_a_financial_year_as_money_year_does(
    folder: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    """--price-year 2025-26 was refused ("expected a year such as 2019")
    while replicate --money-year 2025-26, which the docs recommend, was read."""
    from sroi.replication.answers import parse_money_year

    assert main(["run", str(folder), "--draws", "0", "--price-year", written, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["price_year"] == 2019
    assert parse_money_year(written) == 2019


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "2019-21",
            "expected a financial year such as 2019-20; found '2019-21', not one year apart",
        ),
        ("2019/2021", "found '2019/2021', not one year apart"),
        (
            "last",
            "expected a year such as 2019 or 2019-20 (the financial year starting in 2019); "
            "found 'last'",
        ),
        ("1999-00", "expected a price year covered by the GDP deflator table"),
    ],
)
def test_price_year_that_is_not_one_financial_year_is_refused(
    folder: Path, capsys: pytest.CaptureFixture[str], written: str, message: str
) -> None:
    with pytest.raises(SystemExit):
        main(["run", str(folder), "--draws", "0", "--price-year", written])
    err = capsys.readouterr().err
    assert "sroi run: error: argument --price-year: " in err and message in err


#: Every money value of ``hand_a.yaml``, restated in dollars.
_DOLLARS = """\
volunteers: {expenses_per_hour: 3, value_per_hour: 13}
costs:
  coordinator: {salary: 26000}
  lines:
    rent: {amount: 1300}
    leaflets: {amount: 13}
    packs: {amount: 7}
    insurance: {amount: 65}
    checks: {amount: {value: 52, note: quoted in dollars}}
    setup: {amount: 2600}
outcomes:
  health: {proxy: 32000}
  wellbeing: {proxy: {pert: [500, 650, 800]}}
"""


@pytest.mark.parametrize(
    ("extra", "kept"),
    [
        # Nothing restated: every number would be read as dollars.
        (
            "",
            "12 GBP values: costs.coordinator.salary, costs.lines.checks.amount, "
            "costs.lines.insurance.amount and 9 more",
        ),
        # All but one restated: that one is named; a note alone restates nothing.
        (
            _DOLLARS + "  volunteering: {proxy: {note: in dollars}}\n",
            "1 GBP value: outcomes.volunteering.proxy",
        ),
    ],
)
def test_a_child_may_not_relabel_inherited_money_as_another_currency(
    tmp_path: Path, extra: str, kept: str
) -> None:
    shutil.copy(CASES / "hand_a.yaml", tmp_path / "parent.yaml")
    (tmp_path / "child.yaml").write_text(f"extends: parent.yaml\nid: child\ncurrency: USD\n{extra}")
    scenario, problems = check_file(tmp_path / "child.yaml")
    assert scenario is None
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'child.yaml'}:3:11: currency: changing the currency from GBP to USD "
        f"would relabel the inherited money without converting it ({kept}); restate every "
        "money value in USD in this file, or start from a base in USD"
    ]


@pytest.mark.parametrize(
    "extra",
    [
        # Every money value restated in the new currency ...
        _DOLLARS + "  volunteering: {proxy: 390}\n",
        # ... or removed with the outcome that holds it.
        _DOLLARS + "  volunteering: null\n",
    ],
)
def test_a_child_may_change_currency_when_it_restates_all_money(tmp_path: Path, extra: str) -> None:
    shutil.copy(CASES / "hand_a.yaml", tmp_path / "parent.yaml")
    (tmp_path / "child.yaml").write_text(f"extends: parent.yaml\nid: child\ncurrency: USD\n{extra}")
    scenario, problems = check_file(tmp_path / "child.yaml")
    assert scenario is not None, problems
    assert scenario.currency == "USD"
    assert scenario.outcomes["health"].proxy.value == 32000
