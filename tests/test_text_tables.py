"""Plain-text tables keep their columns apart, however wide the numbers.

Every table the command line prints is laid out by
:class:`sroi.reports.columns.TextTable`: ordinary numbers sit in the widths
the tables have always had (the README and guide samples check that), and a
number too wide for its column widens the column instead of running into its
neighbour (``282,284,285272,654,838``, ``-13,163,503-24,190,029``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from sroi.analysis.breakeven import breakeven
from sroi.cli.main import main
from sroi.reports.columns import Column, Spill, TextTable
from sroi.reports.compare import pilots_table
from sroi.reports.sensitivity import breakeven_table

ROOT = Path(__file__).resolve().parents[1]
OXFORD = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"

#: Two numbers run together: a group of thousands followed at once by a digit,
#: a minus sign or a bracket, or a digit followed by a bracket.
GLUED = re.compile(r",\d{3}(?=[-\d(])|\d\(")

#: Oxford with a hundred thousand times its referrals and volunteers: money in
#: the hundreds of millions; with ``fte`` 500,000, costs in tens of billions
#: and a net present value below minus fifty billion.
HUGE = """\
extends: {base}
id: {id}
name: {id}
delivery:
  referrals_per_year: {{pert: [200000, 300000, 450000]}}
volunteers:
  pool: 20000
costs:
  coordinator:
    fte: {fte}
"""


@pytest.fixture()
def huge(tmp_path: Path) -> list[str]:
    files = []
    for sid, fte in (("huge", 500), ("costly", 500_000)):
        f = tmp_path / f"{sid}.yaml"
        f.write_text(HUGE.format(base=OXFORD, id=sid, fte=fte), encoding="utf-8")
        files.append(str(f))
    return files


def glued(text: str) -> list[str]:
    """The lines of ``text`` where two numbers run together."""
    return [line for line in text.splitlines() if GLUED.search(line)]


# --------------------------------------------------------------------------- the layout


def test_ordinary_cells_sit_where_format_strings_put_them() -> None:
    t = TextTable(Column(8, gap=2), Column(7, ">"), Column(12, gap=3), Column(5, ">"))
    t.row("site", "1,234", "1 to 2", "9%")
    t.row("", "12.5")
    assert t.lines() == [
        f"  {'site':<8}{'1,234':>7}   {'1 to 2':<12}{'9%':>5}",
        f"  {'':<8}{'12.5':>7}",
    ]


def test_a_wide_number_widens_its_column_and_keeps_a_space() -> None:
    t = TextTable(Column(6, gap=2), Column(8, ">"), Column(8, ">"), Column(6, gap=2))
    t.row("site", "cost", "value", "note")
    t.row("a", "1,234", "5,678", "x")
    t.row("b", "282,284,285", "-24,190,029", "y")
    assert t.lines() == [
        "  site         cost       value  note",
        "  a           1,234       5,678  x",
        "  b     282,284,285 -24,190,029  y",
    ]


def test_a_long_left_aligned_cell_widens_its_column() -> None:
    t = TextTable(Column(4, gap=2), Column(5, ">"))
    t.row("a very long name", "1")
    t.row("b", "22")
    assert t.lines() == ["  a very long name    1", "  b                  22"]


def test_a_heading_spills_over_empty_cells_but_not_into_the_next() -> None:
    t = TextTable(Column(2, gap=2), Column(4, ">"), Column(4, gap=1), Column(3, ">"))
    t.row("", Spill("wide heading here"), "", "P")
    t.row("x", "1", "a", "2")
    heading, row = t.lines()
    assert heading.index("wide") == row.index("1") - 3  # from the column's start
    assert heading.index("P") > heading.index("here") + len("here")  # a space at least
    assert heading.index("P") == row.index("2")  # and P stays over its column


def test_too_many_cells_are_refused() -> None:
    with pytest.raises(ValueError, match="3 cells for 2 columns"):
        TextTable(Column(), Column()).row("a", "b", "c")


# --------------------------------------------------------------------------- every table


def test_run_keeps_huge_numbers_apart_and_aligned(
    huge: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", *huge, "--draws", "200"]) == 0
    out = capsys.readouterr().out
    assert not glued(out)
    assert "55,881,629,744" in out or "-54," in out  # the numbers are that big
    lines = out.splitlines()
    header = next(line for line in lines if line.strip().startswith("expected"))
    for line in lines:
        if line.strip().startswith(("Cost PV", "Net present value")):
            numbers = re.findall(r"-?[\d,]+\.?\d*", line.split("]", 1)[1])
            # expected and median end under their headings, in every block
            assert line.index(numbers[0]) + len(numbers[0]) == header.index("expected") + 8
            assert line.index(numbers[1], line.index(numbers[0]) + len(numbers[0])) + len(
                numbers[1]
            ) == header.index("median") + len("median")


def test_compare_keeps_huge_numbers_apart(
    huge: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", *huge, "--draws", "200", "--contribution", "nhs=1000"]) == 0
    out = capsys.readouterr().out
    assert "-54," in out
    assert not glued(out)


@pytest.mark.parametrize(
    "method",
    [["oneway", "--metric", "npv"], ["voi", "--draws", "200"]],
)
def test_sensitivity_keeps_huge_numbers_apart(
    method: list[str], huge: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sensitivity", *huge, "--method", *method]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\d{3},\d{3},\d{3}", out)  # hundreds of millions
    assert not glued(out)


def test_the_pilots_table_keeps_huge_numbers_apart() -> None:
    row = {
        "unit_cost_expected": 123_456_789.0,
        "unit_cost_p5": 100_000_000.0,
        "unit_cost_p95": 150_000_000.0,
        "sroi_ratio_expected": 123_456.78,
        "sroi_ratio_p5": 100_000.0,
        "sroi_ratio_p95": 150_000.0,
        "prob_sroi_at_least_1": 1.0,
    }
    frame = pd.DataFrame(
        [
            {"name": "Riverside", "proposal": True, **row},
            {"name": "Oxford (pilot)", "proposal": False, **{k: v / 1000 for k, v in row.items()}},
        ],
        index=["riverside", "oxford"],
    )
    out = pilots_table(frame, "GBP", 2011, 100)
    assert not glued(out)
    heading, sub, first = out.splitlines()[2:5]
    cell = sub.index("expected") + len("expected")
    assert first.index("123,456,789") + len("123,456,789") == cell
    assert heading.index("unit cost") == cell - len("123,456,789")
    assert heading.index("P(SROI >= 1)") + len("P(SROI >= 1)") == len(first)


def test_the_breakeven_table_keeps_huge_numbers_apart() -> None:
    frame = breakeven(OXFORD, "npv")
    for column in ("central", "breakeven", "plausible_low", "plausible_high"):
        frame[column] = frame[column] * 1e9  # values in the billions
    out = breakeven_table(frame)
    assert re.search(r"\d{3},\d{3},\d{3},\d{3}", out)
    assert not glued(out)


def test_the_pilots_table_says_its_chance_counts_an_sroi_ratio_of_exactly_1() -> None:
    """The pilots' table gives P(SROI >= 1), the acceptability at 1, where
    ``sroi run`` gives P(> 1): its foot says which it counts."""
    row = {
        "unit_cost_expected": 3000.0,
        "unit_cost_p5": 2000.0,
        "unit_cost_p95": 4000.0,
        "sroi_ratio_expected": 1.0,
        "sroi_ratio_p5": 1.0,
        "sroi_ratio_p95": 1.0,
        "prob_sroi_at_least_1": 1.0,
    }
    frame = pd.DataFrame([{"name": "Riverside", "proposal": True, **row}], index=["riverside"])
    out = pilots_table(frame, "GBP", 2011, 100)
    assert "P(SROI >= 1)" in out.splitlines()[2]
    assert (
        "P(SROI >= 1): the share of simulated outcomes whose benefits at least match the cost "
        "(sroi run's\nP(> 1) counts only those above 1)." in out
    )
