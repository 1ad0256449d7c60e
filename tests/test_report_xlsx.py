"""The Excel workbook: its live formulas, recalculated by LibreOffice, must
reproduce the engine's base case.

LibreOffice (``soffice``, Debian package libreoffice-calc, installed by
``.ci/run``) opens the workbook, recalculates every formula and saves a copy
with the computed values, which openpyxl then reads.  Checks that need no
recalculation run without it; the others skip without LibreOffice, or fail
with ``SROI_REQUIRE_EXTERNAL=1`` (:mod:`external`).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from external import module, program
from report_toys import write_toys

import sroi
from sroi.engine.metrics import cumulative_net
from sroi.reports import xlsx
from sroi.reports.inputs import input_rows
from sroi.reports.report import Report, build
from sroi.scenario.discover import scenario_files

openpyxl = module("openpyxl", install="pip install -e '.[report]'")

ROOT = Path(__file__).resolve().parents[1]
RTOL = 1e-6


def _report(paths: list[Path], draws: int = 300) -> Report:
    scenarios = [sroi.load_scenario(p) for p in paths]
    files = {s.id: str(p) for s, p in zip(scenarios, paths, strict=True)}
    results = sroi.run(scenarios, draws=draws, seed=11, files=files, keep_outcomes=True)
    return build(scenarios, results, with_sensitivity=False)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    toys = write_toys(tmp_path_factory.mktemp("toys"))
    sites = [Path(f) for f in scenario_files([str(ROOT / "scenarios" / "family_action_pss")])]
    return {"toys": _report(toys), "sites": _report(sites)}


@pytest.fixture(scope="module")
def soffice() -> str:
    """LibreOffice's command, which recalculates the workbook's formulas."""
    return program("soffice", install="apt-get install libreoffice-calc")


def _recalculate(soffice: str, book: Path, out: Path) -> Path:
    """LibreOffice opens ``book``, recalculates and saves a copy in ``out``."""
    profile = out / "profile"
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
    subprocess.run(cmd, check=True, capture_output=True, timeout=240, env={**os.environ})
    result = out / "calc" / book.name
    assert result.exists(), f"LibreOffice wrote no {result}"
    return result


def _rows(ws: Any, header_row: int) -> tuple[list[str], list[tuple[Any, ...]]]:
    header = [c.value for c in ws[header_row]]
    data = []
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if row[0] is None:
            break
        data.append(row)
    return header, data


@pytest.fixture(scope="module")
def recalculated(
    soffice: str, reports: dict[str, Report], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    out = {}
    for name, report in reports.items():
        folder = tmp_path_factory.mktemp(f"calc_{name}")
        book = folder / f"{name}.xlsx"
        xlsx.write(report, book)
        out[name] = openpyxl.load_workbook(_recalculate(soffice, book, folder), data_only=True)
    return out


# --------------------------------------------------------------------------- without LibreOffice


def test_workbook_sheets_and_formulas(reports: dict[str, Report], tmp_path: Path) -> None:
    report = reports["toys"]
    book = tmp_path / "v.xlsx"
    xlsx.write(report, book)
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [
        "Summary",
        "Value map",
        "Discounting",
        "Spreads",
        "Cash flows",
        "Inputs",
        "Sources",
        "Draws",
        "Manifest",
    ]
    header, data = _rows(wb["Value map"], 4)
    assert len(data) == sum(len(s.outcomes) for s in report.scenarios)
    for column in (
        "Present value",
        "Impact, cohort year 0",
        "Value in year 0 (undiscounted)",
        "Financial proxy [currency/unit/year]",
    ):
        cells = [row[header.index(column)] for row in data]
        assert all(isinstance(c, str) and c.startswith("=") for c in cells), column
    for column in ("Proxy as written [currency/unit/year]", "Duration [years]", "Deadweight"):
        assert all(isinstance(row[header.index(column)], (int, float)) for row in data)
    inputs = wb["Inputs"]
    assert inputs.max_row - 1 == sum(len(input_rows(s)) for s in report.scenarios)
    named = {r[2]: r[1] for r in inputs.iter_rows(min_row=2, values_only=True)}
    assert named["costs.coordinator.salary"] == "Co-ordinator salary"
    assert all(name and not re.search(r"[a-z_]+\.[a-z_]+", name) for name in named.values())
    draws = wb["Draws"]
    assert draws.max_row - 1 == report.results.draws
    manifest = {r[0]: r[1] for r in wb["Manifest"].iter_rows(values_only=True) if r[0]}
    assert manifest["Seed"] == "11"


def test_draws_sheet_stops_at_ten_thousand(
    reports: dict[str, Report], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(xlsx, "MAX_DRAWS", 100)
    book = tmp_path / "v.xlsx"
    xlsx.write(reports["toys"], book)
    ws = openpyxl.load_workbook(book)["Draws"]
    assert ws.cell(101, 1).value == 99 and ws.cell(102, 1).value is None
    assert "100 of 300 draws" in str(ws.cell(103, 1).value)


# --------------------------------------------------------------------------- recalculated


@pytest.mark.slow
@pytest.mark.parametrize("name", ["toys", "sites"])
def test_formula_pvs_equal_the_engine(
    name: str, reports: dict[str, Report], recalculated: dict[str, Any]
) -> None:
    report, wb = reports[name], recalculated[name]
    header, data = _rows(wb["Value map"], 4)
    site, outcome = header.index("Site"), header.index("Outcome id")
    pv = header.index("Present value")
    checked = 0
    for row in data:
        engine = report.outcomes[row[site]].base_pv[row[outcome]]
        assert row[pv] == pytest.approx(engine, rel=RTOL, abs=1e-9), (row[site], row[outcome])
        checked += 1
    assert checked == sum(len(s.outcomes) for s in report.scenarios)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["toys", "sites"])
def test_live_summary_equals_the_engine(
    name: str, reports: dict[str, Report], recalculated: dict[str, Any]
) -> None:
    r = reports[name].results
    header, data = _rows(recalculated[name]["Summary"], 4)
    names = [row[0] for row in data]
    assert names == r.names if len(r.scenarios) > 1 else names == [r.scenarios[0].id]
    for row in data:
        for column, metric in (
            ("Cost PV (live)", "cost_pv"),
            ("Value PV (live)", "value_pv"),
            ("NPV (live)", "npv"),
            ("SROI ratio (live)", "sroi_ratio"),
        ):
            assert row[header.index(column)] == pytest.approx(
                r.base_value(metric, row[0]), rel=RTOL
            ), (row[0], metric)


@pytest.mark.slow
def test_live_cash_flows_equal_the_engine(
    reports: dict[str, Report], recalculated: dict[str, Any]
) -> None:
    r = reports["toys"].results
    header, data = _rows(recalculated["toys"]["Cash flows"], 4)
    cumulative = header.index("Cumulative net position")
    for s in r.scenarios:
        mine = [row[cumulative] for row in data if row[0] == s.id]
        engine = cumulative_net(r.base_flows[s.id])[0]
        np.testing.assert_allclose(mine, engine, rtol=RTOL, atol=1e-6)


@pytest.mark.slow
def test_changing_an_input_cell_changes_the_pv(
    soffice: str, reports: dict[str, Report], tmp_path: Path
) -> None:
    """What an economist does: double a proxy, recalculate, and see the
    present value follow."""
    report = reports["toys"]
    book = tmp_path / "v.xlsx"
    xlsx.write(report, book)
    wb = openpyxl.load_workbook(book)
    ws = wb["Value map"]
    header, data = _rows(ws, 4)
    row = next(i for i, r in enumerate(data, 5) if r[1] == "lasting_benefit")
    proxy = ws.cell(row, header.index("Proxy as written [currency/unit/year]") + 1)
    proxy.value = 2 * proxy.value
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    calc = openpyxl.load_workbook(_recalculate(soffice, edited, tmp_path), data_only=True)
    new = calc["Value map"].cell(row, header.index("Present value") + 1).value
    assert new == pytest.approx(2 * report.outcomes["toy_a"].base_pv["lasting_benefit"], rel=RTOL)
