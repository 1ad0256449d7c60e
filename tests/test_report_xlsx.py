"""The Excel workbook: its live formulas, recalculated by LibreOffice, must
reproduce the engine, also after an economist changes an input.

LibreOffice (``soffice``, Debian package libreoffice-calc, installed by
``.ci/run``) opens the workbook, recalculates every formula and saves a copy
with the computed values, which openpyxl then reads.  LibreOffice keeps the
cached values of an xlsx file unless told otherwise, so the profile it runs
with sets ``OOXMLRecalcMode`` to "always recalculate".  Checks that need no
recalculation run without it; the others skip without LibreOffice, or fail
with ``SROI_REQUIRE_EXTERNAL=1`` (:mod:`external`).
"""

from __future__ import annotations

import math
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from external import module, program
from report_toys import write_toys

import sroi
from sroi.engine.metrics import cumulative_net
from sroi.reports import html, xlsx
from sroi.reports.inputs import input_rows
from sroi.reports.report import Report, build
from sroi.reports.xlsx._cells import sheet_titles
from sroi.reports.xlsx._paths import AS_WRITTEN, defined_name
from sroi.scenario.discover import scenario_files
from sroi.scenario.labels import value_unit
from sroi.scenario.model import Scenario, scenario_values
from sroi.scenario.money import is_money_path
from sroi.vocabulary import PROGRAMME, metric_names

openpyxl = module("openpyxl", install="pip install -e '.[dev]'")
module("xlsxwriter", install="pip install -e '.[report]'")

ROOT = Path(__file__).resolve().parents[1]
RTOL = 1e-6

#: LibreOffice setting: recalculate every formula of an xlsx file on loading.
_ALWAYS_RECALCULATE = """\
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _run(scenarios: list[Scenario], draws: int = 300) -> sroi.Results:
    return sroi.run(scenarios, draws=draws, seed=11, keep_outcomes=True)


def _report(scenarios: list[Scenario], draws: int = 300) -> Report:
    return build(scenarios, _run(scenarios, draws), with_sensitivity=False)


def _sites() -> list[Scenario]:
    files = scenario_files([str(ROOT / "scenarios" / "family_action_pss")])
    return [sroi.load_scenario(f) for f in files]


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Scenario]]:
    toys = write_toys(tmp_path_factory.mktemp("toys"))
    return {"toys": [sroi.load_scenario(p) for p in toys], "sites": _sites()}


@pytest.fixture(scope="module")
def reports(scenarios: dict[str, list[Scenario]]) -> dict[str, Report]:
    return {name: _report(list(s)) for name, s in scenarios.items()}


@pytest.fixture(scope="module")
def books(reports: dict[str, Report], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for name, report in reports.items():
        out[name] = tmp_path_factory.mktemp(f"book_{name}") / f"{name}.xlsx"
        xlsx.write(report, out[name])
    return out


@pytest.fixture(scope="module")
def soffice() -> str:
    """LibreOffice's command, which recalculates the workbook's formulas."""
    return program("soffice", install="apt-get install libreoffice-calc")


def _recalculate(soffice: str, book: Path, out: Path) -> Path:
    """LibreOffice opens ``book``, recalculates every formula and saves a copy in ``out``."""
    profile = out / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_ALWAYS_RECALCULATE)
    cmd = [
        soffice,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out / "calc"),
        str(book),
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300, env={**os.environ})
    result = out / "calc" / book.name
    assert result.exists(), f"LibreOffice wrote no {result}"
    return result


@pytest.fixture(scope="module")
def recalculated(
    soffice: str, books: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    out = {}
    for name, book in books.items():
        folder = tmp_path_factory.mktemp(f"calc_{name}")
        out[name] = openpyxl.load_workbook(_recalculate(soffice, book, folder), data_only=True)
    return out


def _titles(report: Report) -> list[str]:
    return sheet_titles([s.name for s in report.scenarios], set(xlsx.SHEETS))


def _summary(wb: Any) -> dict[str, list[Any]]:
    """The Summary's live results: metric key -> one value per column (sites, programme)."""
    out = {}
    for row in wb["Summary"].iter_rows(min_row=5, values_only=True):
        if row[1] is None:
            break
        out[row[1]] = [v for v in row[2:] if v is not None]
    return out


def _close(got: Any, expected: float) -> bool:
    if math.isnan(expected):
        return isinstance(got, str)
    return isinstance(got, (int, float)) and math.isclose(got, expected, rel_tol=RTOL, abs_tol=1e-9)


def _assert_summary_is_the_engine(wb: Any, results: sroi.Results) -> int:
    """Every metric of every site and the programme on the Summary equals the engine's."""
    summary = _summary(wb)
    assert list(summary) == list(metric_names())
    names = [s.id for s in results.scenarios] + ([PROGRAMME] if len(results.scenarios) > 1 else [])
    checked = 0
    for key, values in summary.items():
        assert len(values) == len(names), key
        for got, name in zip(values, names, strict=True):
            expected = results.base_value(key, name)
            assert _close(got, expected), (key, name, got, expected)
            checked += 1
    return checked


def _formulas(wb: Any) -> list[tuple[str, str, str]]:
    """Every formula cell: (sheet, cell, formula)."""
    return [
        (ws.title, c.coordinate, c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]


# --------------------------------------------------------------------------- without LibreOffice


def test_workbook_sheets(reports: dict[str, Report], books: dict[str, Path]) -> None:
    report = reports["sites"]
    wb = openpyxl.load_workbook(books["sites"])
    titles = _titles(report)
    assert wb.sheetnames == [*xlsx.SHEETS[:2], *titles, *xlsx.SHEETS[2:]]
    assert titles == ["Hackney", "Oxford", "Swaffham", "West Mansfield"]
    inputs = wb["Inputs"]
    assert inputs.max_row - 1 == sum(len(input_rows(s)) for s in report.scenarios)
    assert inputs["A2"].value == report.scenarios[0].name  # names, not ids
    named = {r[2]: r[1] for r in inputs.iter_rows(min_row=2, values_only=True)}
    assert named["costs.coordinator.salary"] == "Co-ordinator salary"
    assert all(name and not re.search(r"[a-z_]+\.[a-z_]+", name) for name in named.values())
    assert wb["Draws"].max_row - 1 == report.results.draws
    manifest = {r[0]: r[1] for r in wb["Manifest"].iter_rows(values_only=True) if r[0]}
    assert manifest["Seed"] == "11"
    value_map = [r for r in wb["Value map"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert len(value_map) == sum(len(s.outcomes) for s in report.scenarios)
    assert {r[0] for r in value_map} == {s.name for s in report.scenarios}


def test_headline_block_leads_with_the_expected_value(
    reports: dict[str, Report], books: dict[str, Path]
) -> None:
    """The Headline sheet shows each site's three returns as the
    report does: expected value first, then median and 90% range, and the
    base case last, labelled modal inputs."""
    report = reports["sites"]
    wb = openpyxl.load_workbook(books["sites"])
    rows = list(wb["Headline"].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[0] == "Metric")
    heads = rows[top][2:7]
    stats = ("expected", "median", "5th percentile", "95th percentile", "modal inputs (base case)")
    assert heads == tuple(f"Hackney: {w}" for w in stats)
    by_label = {r[0]: r for r in rows[top + 1 :] if r[0]}
    for label, perspective in (
        ("Social return [£ per £1]", "society"),
        ("Public-sector return [£ per £1]", "public_sector"),
        ("Cashable return [£ per £1]", "cashable"),
    ):
        h = report.results.headline("hackney", perspective).ratio
        got = by_label[label][2:7]
        want = (h.expected, h.median, h.p5, h.p95, h.modal)
        assert got == pytest.approx(want, rel=1e-9), label
        assert got[0] != pytest.approx(got[4])  # the expected value is not the base case
    # A chance is a share of the draws: it has no median, range or base case.
    chances = [r for r in rows[top + 1 :] if r[0] and r[0].strip().startswith("Chance")]
    assert chances
    for r in chances:
        assert isinstance(r[2], (int, float)) and r[3:7] == (None,) * 4, r
    # The Summary says first that its live rows are the base case, and where
    # the expected values are; the Headline's frozen header is its own
    # (Summary's, one column a site, labelled Hackney's median "Oxford").
    note = next(wb["Summary"].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert "base case" in note and "is on the Headline sheet" in note
    assert wb["Headline"].freeze_panes == f"C{top + 2}"
    assert not any(r[0] == "Metric" for r in wb["Summary"].iter_rows(values_only=True))


def test_workbook_names_the_returns_as_the_report_does(
    reports: dict[str, Report], books: dict[str, Path]
) -> None:
    """One vocabulary: the live rows of the Summary and of each site's sheet
    head the three returns with the words of the report's headline table."""
    report = reports["sites"]
    page = html.render(report)
    wb = openpyxl.load_workbook(books["sites"])
    summary = {r[1]: r[0] for r in wb["Summary"].iter_rows(min_row=5, values_only=True) if r[1]}
    words = {
        "sroi_ratio": "Social return",
        "public_roi": "Public-sector return",
        "cashable_roi": "Cashable return",
    }
    for metric, word in words.items():
        assert f'<th scope="row">{word} [£ per £1]</th>' in page
        assert summary[metric].startswith(f"{word} ["), summary[metric]
        site = [
            r for r in wb["Hackney"].iter_rows(values_only=True) if r[0] and r[0].startswith(word)
        ]
        assert site, f"no {word} row on the Hackney sheet"
    every = " ".join(
        str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r if v
    )
    for old in ("SROI ratio [", "Public ROI", "Cashable ROI"):
        assert old not in every, old


def test_every_sheet_names_the_price_year_as_the_report_does(
    reports: dict[str, Report], books: dict[str, Path]
) -> None:
    """The report says "FY 2011-12 prices"; so do the Summary and each site's
    sheet, never a bare "2011 prices" that reads as a calendar year."""
    page = html.render(reports["sites"])
    assert "GBP at FY 2011-12 prices" in page
    wb = openpyxl.load_workbook(books["sites"], read_only=True)
    for ws in wb.worksheets:
        if ws.title in ("Draws", "Inputs"):  # values and sources' own notes
            continue
        text = " ".join(str(v) for r in ws.iter_rows(values_only=True) for v in r if v)
        assert "at 2011 prices" not in text, ws.title
    for title in ("Summary", "Hackney", "West Mansfield"):
        first = " ".join(
            str(v) for r in wb[title].iter_rows(max_row=3, values_only=True) for v in r if v
        )
        assert "GBP at FY 2011-12 prices" in first, title


def test_sheet_titles_are_short_unique_and_allowed() -> None:
    titles = sheet_titles(
        ["Oxford (pilot)", "Oxford (scale-up)", "A/B: test?", "x" * 40, "Summary"], {"Summary"}
    )
    assert titles == ["Oxford", "Oxford (2)", "A B  test", "x" * 31, "Summary (2)"]


@pytest.mark.parametrize("name", ["toys", "sites"])
def test_every_input_is_a_named_entry_cell(
    name: str, reports: dict[str, Report], books: dict[str, Path]
) -> None:
    """Each value the engine reads has a name on its site's sheet, holding
    its base-case value as written (money: with its price conversion beside it)."""
    wb = openpyxl.load_workbook(books[name])
    for s, title in zip(reports[name].scenarios, _titles(reports[name]), strict=True):
        ws = wb[title]
        names = ws.defined_names
        for path, value in scenario_values(s).items():
            parts = path.split(".")
            spread = parts[0] == "outcomes" and s.outcomes[parts[1]].spread is not None
            if path == "delivery.years" or (spread and parts[-1] == "duration"):
                continue  # structure: the delivery years' columns; a spread's duration is 1
            key = defined_name(path) + (AS_WRITTEN if is_money_path(path) else "")
            assert key in names, (title, key)
            target = names[key].attr_text.split("!")[1].replace("$", "")
            assert ws[target].value == pytest.approx(value.central()), (title, key)
            assert ws[target].fill.fgColor.rgb.endswith("FFF7D6"), (title, key)
            if "[" not in path:  # a ramp is one row, by delivery year
                # Its unit names the driver, as every other view does: never "unit".
                unit = ws.cell(ws[target].row, 4).value
                assert unit == value_unit(s, path), (title, key, unit)
                assert "unit" not in (unit or "").split("/"), (title, key, unit)
        for key in ("volunteers.value_time_as_input", "discounting.discount_costs"):
            assert key in names


def test_formulas_are_short_and_never_nest_ifs(books: dict[str, Path]) -> None:
    formulas = _formulas(openpyxl.load_workbook(books["sites"]))
    assert len(formulas) > 10_000
    longest = max(formulas, key=lambda f: len(f[2]))
    assert len(longest[2]) <= 200, longest
    for sheet, cell, formula in formulas:
        assert len(re.findall(r"(?<![A-Z])IF\(", formula)) <= 1, (sheet, cell, formula)


def test_every_formula_has_a_cached_value(
    reports: dict[str, Report], books: dict[str, Path]
) -> None:
    """Readers that do not recalculate (pandas, previews) see a number in
    every formula cell, and the Summary's results with pandas."""
    book = books["sites"]
    values = openpyxl.load_workbook(book, data_only=True)
    blanks = [
        (sheet, cell)
        for sheet, cell, _ in _formulas(openpyxl.load_workbook(book))
        if values[sheet][cell].value is None
    ]
    assert blanks == []
    frame = pd.read_excel(book, sheet_name="Summary", header=3, nrows=len(metric_names()))
    assert list(frame["Metric"]) == list(metric_names())
    outputs = frame.drop(columns=["Result", "Metric"]).dropna(axis=1, how="all")
    names = [s.name for s in reports["sites"].scenarios]
    assert list(outputs.columns) == [*names, "Programme"]
    assert not outputs.isna().any().any()


def test_number_formats_on_every_sheet(books: dict[str, Path]) -> None:
    """No number shows with the General format (15 decimals)."""
    wb = openpyxl.load_workbook(books["toys"])
    for ws in wb.worksheets:
        general = [
            c.coordinate
            for row in ws.iter_rows()
            for c in row
            if isinstance(c.value, (int, float))
            and not isinstance(c.value, bool)
            and c.number_format == "General"
        ]
        assert general == [], ws.title
        formulas = [c for row in ws.iter_rows() for c in row if str(c.value).startswith("=")]
        assert all(c.number_format != "General" for c in formulas), ws.title


def test_print_setup_and_frozen_headers(books: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(books["toys"])
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        if ws.title != "Draws" or ws.max_row > 1:
            assert ws.print_area, ws.title
    assert wb["Summary"].freeze_panes == "C5"
    assert wb["Toy A"].freeze_panes == "H5"


def test_text_stays_text(scenarios: dict[str, list[Scenario]], tmp_path: Path) -> None:
    """Names and labels that look like formulas are written as text."""
    toy = scenarios["toys"][0]
    risky = toy.model_copy(
        update={
            "name": '=HYPERLINK("http://x")',
            "outcomes": {
                oid: o.model_copy(update={"label": "+1+1", "stakeholder": "@SUM(A1)"})
                for oid, o in toy.outcomes.items()
            },
        }
    )
    book = tmp_path / "risky.xlsx"
    xlsx.write(_report([risky], draws=0), book)
    wb = openpyxl.load_workbook(book)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    texts = {c.value for c in cells if c.data_type == "s"}
    # Stored as text, behind the apostrophe that keeps them text when edited.
    assert {'\'=HYPERLINK("http://x")', "'+1+1", "'@SUM(A1)"} <= texts
    assert not any(c.data_type == "f" and "HYPERLINK(" in str(c.value) for c in cells)


# --------------------------------------------------------------------------- recalculated


@pytest.mark.slow
@pytest.mark.parametrize("name", ["toys", "sites"])
def test_live_summary_equals_the_engine(
    name: str, reports: dict[str, Report], recalculated: dict[str, Any]
) -> None:
    checked = _assert_summary_is_the_engine(recalculated[name], reports[name].results)
    assert checked >= len(metric_names()) * len(reports[name].scenarios)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["toys", "sites"])
def test_cached_values_equal_the_recalculated_ones(
    name: str, books: dict[str, Path], recalculated: dict[str, Any]
) -> None:
    """The values written beside the formulas are what the formulas give."""
    cached = openpyxl.load_workbook(books[name], data_only=True)
    calc = recalculated[name]
    for sheet, cell, formula in _formulas(openpyxl.load_workbook(books[name])):
        mine, theirs = cached[sheet][cell].value, calc[sheet][cell].value
        if isinstance(theirs, str) or isinstance(mine, str):
            assert mine == theirs, (sheet, cell, formula)
        else:
            assert mine == pytest.approx(theirs, rel=RTOL, abs=1e-9), (sheet, cell, formula)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["toys", "sites"])
def test_value_map_pvs_equal_the_engine(
    name: str, reports: dict[str, Report], recalculated: dict[str, Any]
) -> None:
    report = reports[name]
    rows = [r for r in recalculated[name]["Value map"].iter_rows(min_row=5, values_only=True)]
    rows = [r for r in rows if r[0]]
    header = [c.value for c in recalculated[name]["Value map"][4]]
    pv = header.index("Present value")
    expected = [report.outcomes[s.id].base_pv[oid] for s in report.scenarios for oid in s.outcomes]
    assert len(rows) == len(expected)
    for row, engine in zip(rows, expected, strict=True):
        assert row[pv] == pytest.approx(engine, rel=RTOL, abs=1e-9), row[:2]


@pytest.mark.slow
def test_live_cash_flows_equal_the_engine(
    reports: dict[str, Report], recalculated: dict[str, Any]
) -> None:
    r = reports["toys"].results
    ws = recalculated["toys"]["Cash flows"]
    header = [c.value for c in ws[4]]
    cumulative = header.index("Cumulative net position")
    rows = [row for row in ws.iter_rows(min_row=5, values_only=True) if row[0]]
    for s in reports["toys"].scenarios:
        mine = [row[cumulative] for row in rows if row[0] == s.name]
        engine = cumulative_net(r.base_flows[s.id])[0]
        np.testing.assert_allclose(mine[: len(engine)], engine, rtol=RTOL, atol=1e-6)


def _edit(book: Path, title: str, changes: dict[str, float], out: Path) -> dict[str, float]:
    """Multiply the named input cells of sheet ``title`` by the factors in
    ``changes``, as an economist would; returns the new values."""
    wb = openpyxl.load_workbook(book)
    ws = wb[title]
    new = {}
    for name, factor in changes.items():
        target = ws.defined_names[name].attr_text.split("!")[1].replace("$", "")
        ws[target].value = ws[target].value * factor
        new[name] = ws[target].value
    wb.save(out)
    return new


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "site", "line"),
    [("toys", "toy_a", "room"), ("sites", "oxford", "clinical_supervision")],
)
def test_changing_referrals_relative_risk_and_a_cost_line(
    name: str,
    site: str,
    line: str,
    soffice: str,
    scenarios: dict[str, list[Scenario]],
    reports: dict[str, Report],
    books: dict[str, Path],
    tmp_path: Path,
) -> None:
    """What an economist does: change three inputs of one site, recalculate,
    and find every result of the Summary equal to a run of the scenario with
    those values (``sroi run --draws 0``).  Oxford's clinical supervision is
    written at 2013-14 prices, so its price conversion is checked too."""
    report = reports[name]
    index = [s.id for s in report.scenarios].index(site)
    title = _titles(report)[index]
    amount = f"costs.lines.{line}.amount"
    new = _edit(
        books[name],
        title,
        {
            "delivery.referrals_per_year": 1.5,
            "effect.relative_risk": 0.5,
            amount + AS_WRITTEN: 3.0,
        },
        tmp_path / "edited.xlsx",
    )
    wb = openpyxl.load_workbook(
        _recalculate(soffice, tmp_path / "edited.xlsx", tmp_path), data_only=True
    )
    before = scenarios[name]
    edited = before[[s.id for s in before].index(site)]
    changed = sroi.with_values(
        edited,
        {
            "delivery.referrals_per_year": new["delivery.referrals_per_year"],
            "effect.relative_risk": new["effect.relative_risk"],
            # a plain number keeps the line's own price year, as the workbook does
            amount: new[amount + AS_WRITTEN],
        },
    )
    assert scenario_values(changed)[amount].price_year == scenario_values(edited)[amount].price_year
    others = [s for s in before if s.id != site]
    results = sroi.run([changed, *others], draws=0)
    assert results.base_value("npv", site) != pytest.approx(report.results.base_value("npv", site))
    _assert_summary_is_the_engine(wb, results)


@pytest.mark.slow
def test_libreoffice_recalculates_cached_values(soffice: str, tmp_path: Path) -> None:
    """The recalculation the tests above rely on replaces a cached value
    (LibreOffice would otherwise keep it)."""
    from xlsxwriter import Workbook

    book = tmp_path / "stale.xlsx"
    wb = Workbook(str(book))
    ws = wb.add_worksheet("Sheet")
    ws.write_number("A1", 20)
    ws.write_formula("A2", "=A1*2", None, 999)  # stale on purpose: the formula gives 40
    wb.close()
    calc = openpyxl.load_workbook(_recalculate(soffice, book, tmp_path), data_only=True)
    assert calc["Sheet"]["A2"].value == 40


def test_sheet_titles_can_carry_sheet_scoped_names() -> None:
    """Titles lose what would break a defined name on the sheet ("!" splits it,
    an apostrophe ends the quoted title), Excel's forbidden characters and
    control characters, and stay unique within 31 characters."""
    from sroi.reports.xlsx._cells import sheet_titles

    titles = sheet_titles(
        ["=cmd|' /C calc'!A0", "St Mary's (pilot)", "a\x01b", "Summary"], {"Summary"}
    )
    assert titles == ["=cmd|\u2019  C calc\u2019 A0", "St Mary\u2019s", "a b", "Summary (2)"]


def test_a_chance_never_shows_as_a_certainty(tmp_path: Path) -> None:
    """A chance keeps its number in the cell; one that one decimal of a percent
    would show as 0.0% or 100.0% shows "<0.1%" or ">99.9%" instead, and exact
    0 and 1 show as they are."""
    import xlsxwriter

    from sroi.reports.xlsx._cells import Formats, Sheet

    book = tmp_path / "chances.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    sheet = Sheet(wb.add_worksheet("Chances"), Formats(wb, "GBP"))
    chances = (0.0, 0.0003, 0.0005, 0.5, 0.9994, 0.9997, 1.0)
    for row, x in enumerate(chances):
        sheet.number(row, 0, x, "chance")
    wb.close()
    ws = openpyxl.load_workbook(book).active
    cells = [ws.cell(row + 1, 1) for row in range(len(chances))]
    assert [c.value for c in cells] == list(chances)
    assert [c.number_format for c in cells] == [
        "0.0%",
        '"<0.1%"',
        "0.0%",  # 0.05% shows as 0.1%
        "0.0%",
        "0.0%",  # 99.94% shows as 99.9%
        '">99.9%"',
        "0.0%",
    ]


def test_a_row_of_wrapped_text_is_tall_enough_for_it(books: dict[str, Path]) -> None:
    """LibreOffice keeps a row's default height whatever its wrapped text
    needs, so a long note printed over the rows below it."""
    sheet = openpyxl.load_workbook(books["sites"])["Inputs"]
    notes = [(r, sheet.cell(r, 15).value or "") for r in range(2, sheet.max_row + 1)]
    row, note = max(notes, key=lambda rn: len(rn[1]))
    assert len(note) > 3 * 90  # several lines in the 90-character Note column
    assert sheet.row_dimensions[row].height >= 15 * (len(note) // 90)
    assert sheet.print_title_cols == "$A:$B"  # pages across repeat the site and the value


def test_the_value_map_and_cash_flows_say_their_prices(books: dict[str, Path]) -> None:
    """They held money with no word of its currency or price year."""
    wb = openpyxl.load_workbook(books["sites"])
    for title in ("Value map", "Cash flows"):
        note = wb[title]["A2"].value
        assert note.endswith("Money in GBP at FY 2011-12 prices."), (title, note)
