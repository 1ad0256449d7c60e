"""``sroi replicate --template``: a template not shaped like the bundled one,
or with problems of its own, is refused with located messages (exit 2) and
nothing is written; only an answer's own problem is blamed on the answers."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from sroi.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = [
    "--area",
    "Newham",
    "--referrals-per-year",
    "40",
    "--volunteers",
    "12",
    "--draws",
    "0",
    "-o",
    "out/x.yaml",
    "--childrens-centre",
    "yes",
    "--management",
    "no",
    "--it-systems",
    "yes",
    "--referral-network",
    "no",
    "--public-transport",
    "yes",
]
#: What the command says last when the template is refused.
REFUSED = "sroi replicate: the template has problems; nothing was written"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the pilots, the template and an empty ``out/``."""
    shutil.copytree(ROOT / "scenarios" / "family_action_pss", tmp_path / "family_action_pss")
    shutil.copytree(ROOT / "scenarios" / "replication", tmp_path / "replication")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal
    return tmp_path


def refuse(project: Path, text: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The error lines for a template holding ``text``; checks exit 2 and
    that nothing was written."""
    (project / "replication" / "t.yaml").write_text(text, encoding="utf-8")
    code = main(["replicate", "--template", "replication/t.yaml", *ANSWERS])
    _, err = capsys.readouterr()
    assert code == 2, err
    assert "internal error" not in err and "Traceback" not in err
    assert list((project / "out").iterdir()) == []
    lines = err.splitlines()
    assert lines[-1] == REFUSED, err
    return lines[:-1]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("{}\n", "1:1"),
        ("delivery: 5\n", "1:11"),
        ("id: t\nname: T\ndelivery: {}\n", "3:11"),
    ],
)
def test_a_file_without_delivery_years_is_not_a_replication_template(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, where: str
) -> None:
    assert refuse(project, text, capsys) == [
        f"sroi replicate: error: replication/t.yaml:{where}: (document): the template is not "
        "a replication template: it has no delivery.years"
    ]


def test_a_ramp_entry_without_a_value_is_located(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "extends: new_area.yaml\ndelivery:\n  ramp: [{note: start-up}, 1, 1]\n"
    assert refuse(project, text, capsys) == [
        "sroi replicate: error: replication/t.yaml:3:10: delivery.ramp[0]: expected exactly one "
        "value key (value, uniform, triangular, pert, normal, lognormal, gamma, beta, range90); "
        "found none"
    ]


def test_a_ramp_value_that_is_not_a_number_is_located(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "extends: new_area.yaml\ndelivery:\n  ramp: [{value: 0.5}, {value: x}, 1]\n"
    assert refuse(project, text, capsys) == [
        "sroi replicate: error: replication/t.yaml:3:32: delivery.ramp[1].value: expected a "
        "number; found the text 'x'"
    ]


def test_a_template_problem_is_located_in_the_template_not_blamed_on_the_answers(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "extends: new_area.yaml\nprice_year: true\n"
    assert refuse(project, text, capsys) == [
        "sroi replicate: error: replication/t.yaml:2:13: price_year: expected a whole number; "
        "found true"
    ]


def test_a_value_the_calculator_cannot_read_three_points_from_is_located(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "extends: new_area.yaml\n"
        "costs:\n"
        "  coordinator:\n"
        "    fte: {normal: {mean: 1, sd: 0.1, min: 0.5}}\n"
    )
    lines = refuse(project, text, capsys)
    assert lines == [
        "sroi replicate: error: replication/t.yaml:4:11: costs.coordinator.fte: the replication "
        "calculator reads a pert, triangular, uniform or fixed value here; found normal"
    ], lines


def test_a_misspelt_cost_line_in_the_template_is_located_there(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "extends: new_area.yaml\ncosts:\n  lines:\n    it_anz_monitoring: {amount: 5}\n"
    lines = refuse(project, text, capsys)
    assert (
        "sroi replicate: error: replication/t.yaml:4:5: costs.lines.it_anz_monitoring.label: "
        "required key 'label' is missing"
    ) in lines, lines
    assert not any("the answers" in line for line in lines)
