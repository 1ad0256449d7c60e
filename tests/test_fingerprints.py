"""Each run records the SHA-256 of every file its results depend on: the
scenario's own file and each file it extends."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl

import sroi
from sroi.cli.main import main

SITES = Path(__file__).resolve().parent.parent / "scenarios" / "family_action_pss"


def test_every_file_a_scenario_extends_is_fingerprinted(tmp_path: Path) -> None:
    """The run record, the JSON, the report's manifest and the workbook gave
    the SHA-256 of the site files only: an edit to the shared _common.yaml,
    which holds most inputs, changed the results under the same fingerprints."""
    common = SITES / "_common.yaml"
    digest = hashlib.sha256(common.read_bytes()).hexdigest()
    results = sroi.run(SITES / "oxford.yaml", draws=0)
    (info,) = results.run.scenarios
    assert info.extends == ((str(common.resolve()), digest),)
    doc = json.loads(results.to_json())
    entry = next(s for s in doc["scenarios"] if s["id"] == "oxford")
    assert entry["extends"] == [{"file": str(common.resolve()), "sha256": digest}]
    assert results.run.header(files=True)["files"]["oxford"]["extends"] == entry["extends"]
    out, book = tmp_path / "r.html", tmp_path / "r.xlsx"
    args = ["report", str(SITES / "oxford.yaml"), "--draws", "0", "-o", str(out)]
    assert main([*args, "--xlsx", str(book)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "File the scenarios extend" in page and digest in page
    sheet = openpyxl.load_workbook(book, read_only=True)["Manifest"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert str(common.resolve()) in cells and digest in cells
