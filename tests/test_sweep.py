"""``sroi sweep``: cases, the tidy table, common random numbers, reproducibility,
failures, resume and atomic writes."""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import shutil
import tracemalloc
from pathlib import Path
from typing import Any

import external
import numpy as np
import pytest
import yaml

import sroi
from sroi.cli.main import main
from sroi.engine.metrics import MAYBE_UNDEFINED, SCALAR_METRICS, SPLIT_METRICS
from sroi.files import OutputError
from sroi.results.results import STATISTICS
from sroi.sampling.sampler import ScenarioSampler
from sroi.scenario import ScenarioError
from sroi.scenario.discover import scenario_files
from sroi.sweep import case_scenario, plan_cases, read_designs, read_grid, sweep
from sroi.sweep.rows import COLUMNS, document_rows
from sroi.sweep.table import CutShort, TableError, read_rows
from sroi.vocabulary import METRICS

ROOT = Path(__file__).resolve().parents[1]
OXFORD = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"
DESIGNS = ROOT / "scenarios" / "sweeps" / "designs.yaml"
AREAS = ROOT / "scenarios" / "sweeps" / "areas.yaml"
DRAWS = 600
SEED = 11

GRID = """\
area,delivery.referrals_per_year,delivery.uptake
north,40,
south,"{pert: [50, 70, 95], evidence: assumption}",0.7
east,25,"{pert: [0.5, 0.6, 0.75]}"
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def sroi_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def table(path: Path) -> list[tuple[Any, ...]]:
    """Rows of an output table, sorted (order depends on the pool)."""
    return sorted(tuple("" if x is None else x for x in r) for r in read_rows(path))


def sorted_bytes(path: Path) -> bytes:
    lines = path.read_bytes().splitlines(keepends=True)
    return lines[0] + b"".join(sorted(lines[1:]))


# -- inputs ------------------------------------------------------------------


def test_grid_csv_cells_are_numbers_or_value_forms(tmp_path: Path) -> None:
    rows = read_grid(write(tmp_path / "g.csv", GRID))
    assert [r.name for r in rows] == ["north", "south", "east"]
    assert rows[0].values == {"delivery.referrals_per_year": 40}  # empty cell: not set
    assert rows[1].values["delivery.referrals_per_year"] == {
        "pert": [50, 70, 95],
        "evidence": "assumption",
    }
    assert rows[2].origin.line == 4 and rows[2].marks["delivery.uptake"].column == 3


def test_grid_and_designs_problems_are_located(tmp_path: Path) -> None:
    bad = write(tmp_path / "g.csv", 'area,x.y\nnorth,1\nnorth,"{pert: [1, 2"\nwest,1,2\n')
    with pytest.raises(ScenarioError) as info:
        read_grid(bad)
    assert [str(p) for p in info.value.problems] == [
        f"{bad}:3:2: x.y: expected a number or a value such as {{pert: [low, mode, high]}}; "
        "cannot read '{pert: [1, 2'",
        f"{bad}:4:1: (row): expected 2 cells, one per column; found 3 (put a value "
        'with commas in double quotes: "{pert: [1, 2, 3]}")',
        f"{bad}:3:1: area: area 'north' is already used at line 2; names must be unique",
    ]
    twice = write(tmp_path / "t.csv", "area,x.y,z, x.y,,\nnorth,1,2,3,,\n")
    with pytest.raises(ScenarioError) as info:
        read_grid(twice)
    assert [str(p) for p in info.value.problems] == [
        f"{twice}:1:4: x.y: column 'x.y' is given twice, here and in column 2; "
        "give each path one column"
    ]
    missing = tmp_path / "nosuch.csv"
    with pytest.raises(ScenarioError) as info:
        read_grid(missing)
    assert [str(p) for p in info.value.problems] == [
        f"{missing}:1:1: (document): cannot read the grid: no such file"
    ]
    missing = tmp_path / "nosuch.yaml"  # read as YAML, not CSV: the same words
    with pytest.raises(ScenarioError) as info:
        read_grid(missing)
    assert [str(p) for p in info.value.problems] == [
        f"{missing}:1:1: (document): cannot read file: no such file"
    ]
    latin = tmp_path / "l.csv"  # saved as Latin-1: the e-acute is the byte 0xE9
    latin.write_bytes("area,x.y\nnorth,1\ncafé,2\n".encode("latin-1"))
    with pytest.raises(ScenarioError) as info:
        read_grid(latin)
    assert [str(p) for p in info.value.problems] == [
        f"{latin}:3:4: (document): expected UTF-8 text; found the byte 0xE9 "
        "(invalid continuation byte); save the file as UTF-8"
    ]
    nameless = write(tmp_path / "n.csv", "where,x.y\nnorth,1\n")
    with pytest.raises(ScenarioError, match="exactly one column named 'area' or 'case'"):
        read_grid(nameless)
    designs = write(tmp_path / "d.yaml", "designs:\n  Full Time:\n    costs.coordinator.fte: 1\n")
    with pytest.raises(ScenarioError, match=r"d.yaml:2:3: designs.Full Time: expected a snake"):
        read_designs(designs)


def test_a_file_that_is_not_a_designs_file_says_what_one_is(tmp_path: Path) -> None:
    table = write(tmp_path / "designs.csv", "design,costs.coordinator.fte\nsmall,0.5\n")
    code, _, err = sroi_cli(
        "sweep", str(OXFORD), "--design", str(table), "--out", str(tmp_path / "o.csv")
    )
    assert code == 2
    assert err == (
        f"{table}:1:1: (document): a designs file is YAML, not a CSV table: expected a YAML "
        "mapping with one top-level key, 'designs': design name -> dotted path -> value "
        "(see docs/sweeps.md); a CSV table of areas is a grid (--grid)\n"
    )
    listed = write(tmp_path / "l.yaml", "- small\n")
    with pytest.raises(ScenarioError) as info:
        read_designs(listed)
    assert [str(p) for p in info.value.problems] == [
        f"{listed}:1:1: (document): expected a YAML mapping with one top-level key, 'designs': "
        "design name -> dotted path -> value (see docs/sweeps.md); found a list"
    ]
    with pytest.raises(ScenarioError, match=r"found the key 'cases'; a file of 'cases' is a grid"):
        read_designs(AREAS)
    with pytest.raises(ScenarioError, match=r"'designs' is a designs file \(--design\)"):
        read_grid(DESIGNS)
    empty = write(tmp_path / "e.yaml", "")
    with pytest.raises(
        ScenarioError,
        match=r"the file is empty; expected a YAML mapping with one "
        "top-level key, 'cases'",
    ):
        read_grid(empty)


def test_an_extra_top_level_key_is_located_at_its_line(tmp_path: Path) -> None:
    designs = write(
        tmp_path / "d.yaml",
        "designs:\n  small:\n    costs.coordinator.fte: 0.5\nprice_year: 2011\n",
    )
    with pytest.raises(ScenarioError) as info:
        read_designs(designs)
    assert [str(p) for p in info.value.problems] == [
        f"{designs}:4:1: price_year: unknown top-level key 'price_year'; a designs file has one "
        "top-level key, 'designs'"
    ]
    grid = write(
        tmp_path / "g.yaml", "cases:\n  - area: a\n    delivery.uptake: 0.5\ndesigns: {}\n"
    )
    with pytest.raises(ScenarioError) as info:
        read_grid(grid)
    assert [str(p) for p in info.value.problems] == [
        f"{grid}:4:1: designs: unknown top-level key 'designs'; a grid has one top-level key, "
        "'cases'; a file of 'designs' is a designs file (--design)"
    ]
    misspelt = write(tmp_path / "m.yaml", "desings:\n  small:\n    costs.coordinator.fte: 0.5\n")
    with pytest.raises(ScenarioError) as info:
        read_designs(misspelt)
    assert [str(p) for p in info.value.problems] == [
        f"{misspelt}:1:1: (document): expected one top-level key 'designs'; found the key "
        "'desings'; did you mean 'designs'?"
    ]


@pytest.mark.parametrize(
    ("note", "found"),
    [
        (".inf", "expected text; found a number"),
        ("-1e12", "expected text; found a number"),
        ("[1, {a: .nan}]", "expected text; found a list"),
        ("{a: 1}", "expected text; found a mapping"),
        ("true", "expected text; found true"),
        ('"a\\x1bb"', "expected printable text; found the control character U+001B (escape)"),
    ],
)
def test_a_note_must_be_printable_text(tmp_path: Path, note: str, found: str) -> None:
    designs = write(
        tmp_path / "d.yaml",
        f"designs:\n  small:\n    note: {note}\n    costs.coordinator.fte: 0.5\n",
    )
    with pytest.raises(ScenarioError) as info:
        read_designs(designs)
    assert [str(p) for p in info.value.problems] == [f"{designs}:3:11: designs.small.note: {found}"]
    grid = write(tmp_path / "g.yaml", f"cases:\n  - area: a\n    note: {note}\n")
    with pytest.raises(ScenarioError) as info:
        read_grid(grid)
    assert [str(p) for p in info.value.problems] == [f"{grid}:3:11: cases[0].note: {found}"]
    fine = write(tmp_path / "f.yaml", "designs:\n  small:\n    note: |\n      two\n      lines\n")
    assert read_designs(fine)[0].note == "two\nlines\n"


def test_a_design_invalid_for_every_area_is_reported_once(tmp_path: Path) -> None:
    grid = write(tmp_path / "g.yaml", "cases:\n  - area: a\n  - area: b\n  - area: c\n")
    designs = write(
        tmp_path / "d.yaml",
        "designs:\n  small:\n    costs.coordinator.fte: {value: 0.5, evidence: rctt}\n",
    )
    code, _, err = sroi_cli(
        "sweep",
        str(OXFORD),
        "--grid",
        str(grid),
        "--design",
        str(designs),
        "--draws",
        "0",
        "--out",
        str(tmp_path / "o.csv"),
    )
    assert code == 2
    lines = err.splitlines()
    assert lines[0] == (
        f"sroi: 3 cases failed alike: oxford/a/small ({grid}:2), oxford/b/small ({grid}:3), "
        f"oxford/c/small ({grid}:4):"
    )
    assert lines[1].startswith(f"  {designs}:3:28: costs.coordinator.fte.evidence: expected one of")
    assert [line for line in lines if "rctt" in line] == [lines[1]]
    assert "3 cases: 3 run (3 failed)" in lines[2]


def test_bundled_sweep_inputs_read_and_every_case_is_valid() -> None:
    designs = read_designs(DESIGNS)
    areas = read_grid(AREAS)
    assert [d.name for d in designs] == [
        "part_time_small_pool",
        "full_time_large_pool",
        "full_time_counsellor_group",
    ]
    assert len(areas) >= 3
    base = sroi.load_scenario(OXFORD)
    for case in plan_cases([base], areas, designs, 0, 0):
        scenario = case_scenario(case)  # raises if any override is invalid
        assert scenario.id == "oxford"
    # every number in the bundled inputs is sourced or an explained assumption
    for spot in [*designs, *areas]:
        for path, value in spot.values.items():
            leaves = [value] if "amount" not in value else [value["amount"]]
            for leaf in leaves:
                assert leaf.get("note"), (spot.name, path)
                assert leaf.get("source") or leaf.get("evidence") == "assumption"


def test_folders_skip_sweep_inputs() -> None:
    files = scenario_files([str(ROOT / "scenarios")])
    assert files and not any(Path(f).parent.name == "sweeps" for f in files)
    assert sroi_cli("validate", str(ROOT / "scenarios"))[0] == 0


# -- the table ----------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sweep of 3 areas x 3 designs, in process."""
    folder = tmp_path_factory.mktemp("sweep")
    grid = write(folder / "grid.csv", GRID)
    out = folder / "ref.csv"
    report = sweep(OXFORD, out, grid=grid, designs=DESIGNS, draws=DRAWS, seed=SEED)
    assert (report.cases, report.ran, report.failures) == (9, 9, [])
    return out


def test_the_table_has_every_metric_and_statistic_of_run_json(reference: Path) -> None:
    rows = list(read_rows(reference))
    assert reference.read_text().splitlines()[0] == ",".join(COLUMNS)
    cases = {r.case for r in rows}
    assert "oxford/north/full_time_counsellor_group" in cases and len(cases) == 9
    one = [r for r in rows if r.case == "oxford/south/part_time_small_pool"]
    names = [*SCALAR_METRICS, *(f"{s}.{k}" for s, ks in SPLIT_METRICS.items() for k in ks)]
    expected = {(m, "base_case") for m in names} | {(m, s) for m in names for s in STATISTICS}
    expected |= {(m, "defined") for m in MAYBE_UNDEFINED}  # share of draws where it exists
    # A ratio's expected value: mean numerator / mean denominator.
    expected |= {(m, "expected") for m in SCALAR_METRICS if METRICS[m].ratio_of is not None}
    expected |= {(m, "p_best") for m in ("npv", "sroi_ratio", "public_roi")}  # across designs
    expected |= {
        (p, "estimate")
        for p in ("prob_sroi_above_1", "prob_npv_positive", "prob_payback", "sroi_ratio_of_means")
    }
    assert {(r.metric, r.statistic) for r in one} == expected
    assert len(one) == len(expected)  # once each
    assert {(r.area, r.design, r.scenario, r.price_year, r.error) for r in one} == {
        ("south", "part_time_small_pool", "oxford", 2011, None)
    }


def test_each_case_equals_sroi_run_of_its_scenario_alone(reference: Path, tmp_path: Path) -> None:
    rows = list(read_rows(reference))
    base = sroi.load_scenario(OXFORD)
    grid = read_grid(write(tmp_path / "grid.csv", GRID))
    for case in plan_cases([base], grid, read_designs(DESIGNS), DRAWS, SEED):
        if case.design == "full_time_large_pool":
            continue  # two of three designs keep the test short
        scenario = case_scenario(case)
        file = tmp_path / f"{case.area}_{case.design}.yaml"
        data = scenario.model_dump(mode="json", exclude_none=True)
        file.write_text(yaml.safe_dump(data, sort_keys=False))  # keep the order of lines
        assert sroi.load_scenario(file) == scenario
        code, out, _ = sroi_cli(
            "run", str(file), "--json", "--draws", str(DRAWS), "--seed", str(SEED)
        )
        assert code == 0
        alone = document_rows(json.loads(out), case.id, case.area, case.design, case.input_hash)
        mine = [r for r in rows if r.case == case.id and r.statistic != "p_best"]
        assert sorted(mine) == sorted(alone), case.id  # exact floats, not approximately


def test_p_best_compares_the_designs_of_an_area_draw_by_draw(
    reference: Path, tmp_path: Path
) -> None:
    rows = [r for r in read_rows(reference) if r.area == "south"]
    shares = {r.design: r.value for r in rows if (r.metric, r.statistic) == ("npv", "p_best")}
    assert len(shares) == 3 and sum(shares.values()) == pytest.approx(1.0, abs=1e-12)
    # the same from the cases' own draws, run one by one
    base = sroi.load_scenario(OXFORD)
    south = [r for r in read_grid(write(tmp_path / "g.csv", GRID)) if r.name == "south"]
    npv = {}
    for case in plan_cases([base], south, read_designs(DESIGNS), DRAWS, SEED):
        results = sroi.run(case_scenario(case), DRAWS, SEED)
        npv[case.design] = results.metric("npv", "oxford")
    best = np.argmax(np.vstack(list(npv.values())), axis=0)  # no ties: continuous values
    expected = {d: float(np.mean(best == i)) for i, d in enumerate(npv)}
    assert shares == expected


def test_same_table_whatever_the_pool_or_row_order(reference: Path, tmp_path: Path) -> None:
    reordered = "\n".join([GRID.splitlines()[0], *reversed(GRID.splitlines()[1:])]) + "\n"
    grid = write(tmp_path / "reversed.csv", reordered)
    out = tmp_path / "pool.csv"
    report = sweep(
        OXFORD, out, grid=grid, designs=DESIGNS, draws=DRAWS, seed=SEED, workers=2, chunk_size=250
    )
    assert report.ran == 9
    assert sorted_bytes(out) == sorted_bytes(reference)


def test_parquet_and_csv_hold_the_same_rows(reference: Path, tmp_path: Path) -> None:
    external.module("pyarrow", install="pip install -e '.[parquet]'")
    out = tmp_path / "out.parquet"
    grid = write(tmp_path / "g.csv", GRID)
    sweep(OXFORD, out, grid=grid, designs=DESIGNS, draws=DRAWS, seed=SEED)
    assert table(out) == table(reference)
    import pandas as pd

    frame = pd.read_parquet(out)
    assert list(frame.columns) == list(COLUMNS)
    assert frame["value"].dtype == "float64"


# -- common random numbers ----------------------------------------------------


def test_a_value_draws_the_same_stream_in_every_case(tmp_path: Path) -> None:
    base = sroi.load_scenario(OXFORD)
    grid = read_grid(write(tmp_path / "g.csv", GRID))
    cases = list(plan_cases([base], grid, read_designs(DESIGNS), DRAWS, SEED))
    samplers = [ScenarioSampler.build(case_scenario(c), SEED) for c in cases]
    draws = [s.draws(0, 300) for s in samplers]
    # a value that no case overrides: identical draws in all nine cases
    for path in ("effect.relative_risk", "delivery.engagement", "costs.coordinator.salary"):
        for d in draws[1:]:
            np.testing.assert_array_equal(d[path], draws[0][path])
    # and the same stream as the base scenario run on its own
    alone = ScenarioSampler.build(base, SEED).draws(0, 300)
    np.testing.assert_array_equal(draws[0]["delivery.engagement"], alone["delivery.engagement"])


def test_cases_that_differ_in_one_fixed_value_differ_only_through_it(tmp_path: Path) -> None:
    # Two salaries, everything else drawn: with common random numbers the
    # caseload and value statistics are identical, not merely close.
    grid = write(tmp_path / "g.csv", "area,costs.coordinator.salary\nlow,20000\nhigh,30000\n")
    out = tmp_path / "crn.csv"
    sweep(OXFORD, out, grid=grid, draws=DRAWS, seed=SEED)
    by = {}
    for r in read_rows(out):
        by.setdefault((r.metric, r.statistic), {})[r.area] = r.value
    for metric in ("users", "cases_averted", "value_pv"):
        for statistic in ("mean", "sd", "p5", "p95"):
            pair = by[(metric, statistic)]
            assert pair["low"] == pair["high"], (metric, statistic)
    assert by[("cost_pv", "mean")]["low"] < by[("cost_pv", "mean")]["high"]


# -- failures, resume, atomic writes ------------------------------------------

BAD_GRID = """\
area,costs.coordinator.fte
ok_one,0.8
bad,-1
ok_two,1
"""


def test_a_failed_case_is_reported_and_the_others_still_run(tmp_path: Path) -> None:
    grid = write(tmp_path / "g.csv", BAD_GRID)
    out = tmp_path / "out.csv"
    code, _, err = sroi_cli(
        "sweep", str(OXFORD), "--grid", str(grid), "--out", str(out), "--draws", "200"
    )
    assert code == 2
    assert f"case oxford/bad ({grid}:3) failed:" in err
    assert f"{grid}:3:2: costs.coordinator.fte: expected a count, hours or cost >= 0" in err
    assert "3 cases: 3 run (1 failed)" in err
    rows = list(read_rows(out))
    failed = [r for r in rows if r.error]
    assert [(r.case, r.metric, r.value) for r in failed] == [("oxford/bad", "", None)]
    assert {r.case for r in rows} == {"oxford/ok_one", "oxford/bad", "oxford/ok_two"}


def test_resume_skips_cases_done_with_the_same_inputs(tmp_path: Path) -> None:
    grid = write(tmp_path / "g.csv", BAD_GRID)
    out = tmp_path / "out.csv"
    sweep(OXFORD, out, grid=grid, draws=200, seed=SEED)
    first = table(out)
    # the failed case runs again (and fails again); the two good ones are kept
    report = sweep(OXFORD, out, grid=grid, draws=200, seed=SEED, resume=True)
    assert (report.skipped, report.ran, len(report.failures)) == (2, 1, 1)
    assert table(out) == first
    # fix the bad row and change another: only those two run
    write(grid, BAD_GRID.replace("bad,-1", "bad,0.5").replace("ok_two,1", "ok_two,0.9"))
    report = sweep(OXFORD, out, grid=grid, draws=200, seed=SEED, resume=True)
    assert (report.skipped, report.ran, report.failures) == (1, 2, [])
    fresh = tmp_path / "fresh.csv"
    sweep(OXFORD, fresh, grid=grid, draws=200, seed=SEED)
    assert table(out) == table(fresh)
    # other draws change every input hash: nothing is skipped
    report = sweep(OXFORD, out, grid=grid, draws=100, seed=SEED, resume=True)
    assert report.skipped == 0


def test_resume_with_another_grid_says_which_cases_it_left_out(tmp_path: Path) -> None:
    """The rows of cases no longer planned were dropped without a word."""
    grid = write(tmp_path / "g.csv", BAD_GRID.replace("bad,-1", "bad,0.5"))
    out = tmp_path / "out.csv"
    args = ("sweep", str(OXFORD), "--grid", str(grid), "--out", str(out), "--draws", "50")
    assert sroi_cli(*args)[0] == 0
    write(grid, "area,costs.coordinator.fte\nok_one,0.8\n")
    code, _, err = sroi_cli(*args, "--resume")
    assert code == 0
    assert err.strip().endswith(
        "1 cases: 0 run (0 failed), 1 already done; 2 cases of the old table are no longer "
        "planned and were left out"
    )
    assert {r.case for r in read_rows(out)} == {"oxford/ok_one"}


def test_an_error_leaves_the_old_table_and_no_partial_file(tmp_path: Path) -> None:
    grid = write(tmp_path / "g.csv", BAD_GRID)
    out = write(tmp_path / "out.csv", "old content\n")

    def explode(done: int) -> None:
        if done == 2:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        sweep(OXFORD, out, grid=grid, draws=100, progress=explode)
    assert out.read_text() == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.csv", "out.csv"]


def test_an_interrupted_sweep_keeps_the_cases_done_and_resumes(tmp_path: Path) -> None:
    grid = write(tmp_path / "g.csv", BAD_GRID.replace("bad,-1", "bad,0.6"))
    out = tmp_path / "out.csv"
    calls = []

    def interrupt(done: int) -> None:
        calls.append(done)
        if done == 2:
            raise KeyboardInterrupt

    report = sweep(OXFORD, out, grid=grid, draws=100, progress=interrupt)
    assert report.interrupted and report.ran == 2
    assert len({r.case for r in read_rows(out)}) == 2
    report = sweep(OXFORD, out, grid=grid, draws=100, resume=True, progress=calls.append)
    assert (report.skipped, report.ran) == (2, 1)
    assert calls == [1, 2, 2, 3]  # progress counts cases, skipped ones first
    assert len({r.case for r in read_rows(out)}) == 3


def test_resume_from_a_table_cut_short_keeps_its_whole_rows(tmp_path: Path) -> None:
    grid = write(tmp_path / "g.csv", BAD_GRID.replace("bad,-1", "bad,0.6"))
    whole = tmp_path / "whole.csv"
    sweep(OXFORD, whole, grid=grid, draws=100, seed=SEED)
    data = whole.read_bytes()
    lines = data.splitlines(keepends=True)
    per_case = (len(lines) - 1) // 3
    # cut part-way through a row of the second case, then through the first
    # row of the third (the second's rows may go on, so it runs again too)
    for keep, line, rerun, ran in [
        (sum(map(len, lines[: 1 + per_case + 5])) + 30, 2 + per_case + 5, "oxford/bad", 2),
        (sum(map(len, lines[: 1 + 2 * per_case])) + 3, 2 + 2 * per_case, "oxford/bad", 2),
        (len(data) - 1, len(lines), "oxford/ok_two", 1),  # only the last newline lost
    ]:
        out = write(tmp_path / "out.csv", "")
        out.write_bytes(data[:keep])
        with pytest.raises(CutShort, match=rf"out.csv:{line}: the table ends part-way"):
            list(read_rows(out))
        expected = rf"out.csv:{line}: the table ends part-way .* case {rerun} runs again"
        with pytest.warns(UserWarning, match=expected):
            report = sweep(OXFORD, out, grid=grid, draws=100, seed=SEED, resume=True)
        assert (report.skipped, report.ran, report.cut_line) == (3 - ran, ran, line)
        assert sorted_bytes(out) == sorted_bytes(whole)
    # the command line says so on stderr, and finishes the table
    out.write_bytes(data[: len(data) // 2])
    code, _, err = sroi_cli(
        "sweep", str(OXFORD), "--grid", str(grid), "--out", str(out), "--draws", "100",
        "--seed", str(SEED), "--resume",
    )  # fmt: skip
    assert code == 0 and f"sroi: warning: {out}:" in err and "runs again" in err
    assert sorted_bytes(out) == sorted_bytes(whole)


def test_read_rows_knows_a_table_cut_short_wherever_the_cut_falls(tmp_path: Path) -> None:
    header = ",".join(COLUMNS) + "\n"
    row = "c1,a,,oxford,npv,mean,1.5,society,2011,h1,\n"
    failed = 'c2,a,,oxford,,,,,,h2,"costs £1,000\nmore than the budget"\n'
    out = tmp_path / "t.csv"

    def cases_then_cut(data: bytes) -> tuple[list[str], int]:
        out.write_bytes(data)
        cases = []
        with pytest.raises(CutShort) as info:
            for r in read_rows(out):
                cases.append(r.case)
        assert str(info.value).startswith(f"{out}:{info.value.line}: the table ends part-way")
        return cases, info.value.line

    whole = (header + row + failed).encode()
    assert [r.error for r in read_rows(write(out, header + row + failed))] == [
        None,
        "costs £1,000\nmore than the budget",
    ]
    pound = whole.index("£".encode())
    assert cases_then_cut(whole[: pound + 1]) == (["c1"], 3)  # inside a UTF-8 character
    assert cases_then_cut(whole[: whole.index(b"more")]) == (["c1"], 3)  # inside a quoted cell
    assert cases_then_cut(whole[: whole.index(b"budget")]) == (["c1"], 3)
    assert cases_then_cut(whole[:-1]) == (["c1"], 3)  # only the last newline lost
    assert cases_then_cut(whole[:10]) == ([], 1)  # inside the header
    write(out, "not a table")
    with pytest.raises(TableError, match=r"t.csv:1: expected the columns case, .*; found not a"):
        list(read_rows(out))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda lines: [*lines[:5], "oxford/ok_one,ok_one\n", *lines[5:]], ":6: expected 11 cells"),
        (lambda lines: [*lines, "oxford/ok_one,ok_one\n"], ":{end}: expected 11 cells"),
        (lambda lines: [*lines[:3], lines[3].replace(",base_case,", ",base_case,x"), *lines[4:]],
         ":4: value: expected a number or nothing; found 'x"),
        (lambda lines: [*lines[:3], lines[3].replace(",2011,", ",20.5,"), *lines[4:]],
         ":4: price_year: expected a whole number or nothing; found '20.5'"),
        (lambda lines: [*lines[:7], 'a,"b"c\n', *lines[7:]], ":8: cannot read this row"),
        (lambda lines: ["case,area\n", *lines[1:]], ":1: expected the columns case, area, "),
    ],
)  # fmt: skip
def test_resume_refuses_a_damaged_table_naming_the_line(
    tmp_path: Path, damage: Any, message: str
) -> None:
    grid = write(tmp_path / "g.csv", BAD_GRID.replace("bad,-1", "bad,0.6"))
    out = tmp_path / "out.csv"
    sweep(OXFORD, out, grid=grid, draws=0)
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    message = message.replace("{end}", str(len(lines) + 1))
    damaged = "".join(damage(lines))
    out.write_text(damaged, encoding="utf-8")
    code, _, err = sroi_cli(
        "sweep", str(OXFORD), "--grid", str(grid), "--out", str(out), "--draws", "0", "--resume"
    )
    assert code == 2, err
    assert err.startswith(f"sroi: error: {out}{message}"), err
    assert "run it again without --resume to start afresh" in err
    assert "internal error" not in err
    assert out.read_text(encoding="utf-8") == damaged  # nothing was run or written


def test_resume_refuses_a_parquet_table_cut_short(tmp_path: Path) -> None:
    external.module("pyarrow", install="pip install -e '.[parquet]'")
    grid = write(tmp_path / "g.csv", BAD_GRID.replace("bad,-1", "bad,0.6"))
    out = tmp_path / "out.parquet"
    sweep(OXFORD, out, grid=grid, draws=0)
    out.write_bytes(out.read_bytes()[:3000])
    code, _, err = sroi_cli(
        "sweep", str(OXFORD), "--grid", str(grid), "--out", str(out), "--draws", "0", "--resume"
    )
    assert code == 2 and err.startswith(f"sroi: error: {out}: cannot read it as a sweep table")
    assert ".. " not in err and "run it again without --resume to start afresh" in err
    assert len(out.read_bytes()) == 3000


def test_the_output_is_never_one_of_the_inputs(tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(OXFORD.parent, base)
    grid = write(tmp_path / "areas.csv", "area,delivery.referrals_per_year\nsmall,20\nbig,200\n")
    designs = write(tmp_path / "designs.csv", DESIGNS.read_text(encoding="utf-8"))
    common = tmp_path / "common.csv"
    os.link(base / "_common.yaml", common)  # the file the base extends, by another name
    scenario = str(base / "oxford.yaml")
    before = {p: p.read_bytes() for p in (grid, designs, common)}
    refused = [
        (grid, f"cannot write --out '{grid}': it is the input grid '{grid}'"),
        (designs, f"cannot write --out '{designs}': it is the input designs file '{designs}'"),
        (common, f"it is the input scenario '{(base / '_common.yaml').resolve()}'"),
    ]
    for out, message in refused:
        code, _, err = sroi_cli(
            "sweep", scenario, "--grid", str(grid), "--design", str(designs), "--out", str(out)
        )
        assert code == 2 and message in err, err
        with pytest.raises(OutputError, match="it is the input"):
            sweep(scenario, out, grid=grid, designs=designs, draws=0)
    # also when named another way, and with --resume
    code, _, err = sroi_cli(
        "sweep", scenario, "--grid", str(grid), "--out", f"{tmp_path}/./areas.csv", "--resume"
    )
    assert code == 2 and "it is the input grid" in err
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "areas.csv",
        "base",
        "common.csv",
        "designs.csv",
    ]


class _FullDisk:
    """A file being written on a full disk: every write fails."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


@pytest.mark.parametrize("fails", ["write", "replace", "parquet"])
def test_a_full_disk_is_reported_against_the_table_not_standard_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: str
) -> None:
    grid = write(tmp_path / "g.csv", BAD_GRID.replace("bad,-1", "bad,0.6"))
    out = write(tmp_path / ("big.parquet" if fails == "parquet" else "big.csv"), "old table\n")
    if fails == "parquet":
        pq = external.module("pyarrow.parquet", install="pip install -e '.[parquet]'")

        def full_table(self: Any, *args: Any, **kwargs: Any) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(pq.ParquetWriter, "write_table", full_table)
    elif fails == "write":

        def full_open(file: Any, mode: str = "r", **kwargs: Any) -> Any:
            handle = open(file, mode, **kwargs)  # noqa: SIM115 (the caller closes it)
            return _FullDisk(handle) if "w" in mode else handle

        monkeypatch.setattr("sroi.sweep.table.open", full_open, raising=False)
    else:

        def full_replace(src: Any, dst: Any) -> None:
            raise OSError(errno.ENOSPC, "No space left on device", str(src))

        monkeypatch.setattr(os, "replace", full_replace)
    code, out_text, err = sroi_cli(
        "sweep", str(OXFORD), "--grid", str(grid), "--out", str(out), "--draws", "0"
    )
    assert (code, out_text) == (2, "")
    assert (
        err == f"sroi: error: cannot write '{out}': No space left on device; nothing was replaced\n"
    )
    assert out.read_text() == "old table\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name, "g.csv"]  # no temporary
    with pytest.raises(OutputError, match=r"cannot write '.*big.*': No space left on device"):
        sweep(OXFORD, out, grid=grid, draws=0)


def test_argument_errors(tmp_path: Path) -> None:
    grid = write(tmp_path / "g.csv", GRID)
    code, _, err = sroi_cli("sweep", str(OXFORD), "--grid", str(grid), "--out", "x.txt")
    assert code == 2 and "expected a .parquet or .csv output file" in err
    code, _, err = sroi_cli("sweep", str(OXFORD), "--out", "x.csv")
    assert code == 2 and "give --grid, --design, or both" in err
    code, _, err = sroi_cli(
        "sweep", str(OXFORD), "--grid", str(grid), "--out", "x.csv", "--scheduler", "local"
    )
    assert code == 2 and "expected local:K" in err


@pytest.mark.parametrize(
    ("scheduler", "message"),
    [
        ("local:99999", "--scheduler local:99999: 99,999 workers is far more than"),
        ("tcp://:x", "a host, then a port from 1 to 65535); found 'tcp://:x'"),
        ("tcp://host:0", "a port from 1 to 65535"),
        ("tls://host:70000", "a port from 1 to 65535"),
    ],
)
def test_a_scheduler_that_cannot_be_used_is_refused_before_the_run(
    tmp_path: Path, scheduler: str, message: str
) -> None:
    """local:K with far more workers than CPUs started them all (and
    stopped with a traceback); a tcp:// address without a host or with a
    port that is not a number stopped with an internal error."""
    grid = write(tmp_path / "g.csv", GRID)
    out = tmp_path / "x.csv"
    code, _, err = sroi_cli(
        "sweep", str(OXFORD), "--grid", str(grid), "--out", str(out), "--scheduler", scheduler
    )
    assert code == 2 and message in err and "internal error" not in err
    assert not out.exists()


# -- memory -------------------------------------------------------------------


def test_memory_does_not_grow_with_the_number_of_cases(tmp_path: Path) -> None:
    def peak(n: int) -> int:
        lines = "".join(f"a{i},{20 + i % 30}\n" for i in range(n))
        grid = write(tmp_path / f"g{n}.csv", "area,delivery.referrals_per_year\n" + lines)
        tracemalloc.start()
        sweep(OXFORD, tmp_path / f"o{n}.csv", grid=grid, draws=2000, seed=1)
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return size

    small, large = peak(4), peak(32)
    assert large < 1.2 * small, (small, large)
    with open(tmp_path / "o32.csv", encoding="utf-8") as f:
        assert len({row[0] for row in csv.reader(f)}) == 33  # header + 32 cases


def test_a_progress_bar_counts_cases_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sroi.cli.progress import ProgressBar

    grid = write(tmp_path / "g.csv", BAD_GRID.replace("bad,-1", "bad,0.6"))
    monkeypatch.setattr(ProgressBar, "wanted", staticmethod(lambda stream=None: True))
    code, _, err = sroi_cli(
        "sweep",
        str(OXFORD),
        "--grid",
        str(grid),
        "--out",
        str(tmp_path / "o.csv"),
        "--draws",
        "100",
    )
    assert code == 0
    assert "] 1/3 cases" in err and "] 3/3 cases" in err


def test_an_interrupt_before_any_case_finishes_leaves_the_old_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sroi.sweep.run

    grid = write(tmp_path / "g.csv", BAD_GRID.replace("bad,-1", "bad,0.6"))
    out = write(tmp_path / "out.csv", "old content\n")

    @contextlib.contextmanager
    def interrupted_pool(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt
        yield  # pragma: no cover

    monkeypatch.setattr(sroi.sweep.run, "open_pool", interrupted_pool)
    report = sweep(OXFORD, out, grid=grid, draws=100)
    assert report.interrupted and not report.written and report.ran == 0
    assert out.read_text() == "old content\n"
    code, _, err = sroi_cli("sweep", str(OXFORD), "--grid", str(grid), "--out", str(out))
    assert code == 130
    assert err.endswith(f"interrupted before any case finished; {out} was left as it was\n")
    assert out.read_text() == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.csv", "out.csv"]
    # With no old table, none is left: it "was left as it was" said otherwise.
    fresh = tmp_path / "fresh.csv"
    code, _, err = sroi_cli("sweep", str(OXFORD), "--grid", str(grid), "--out", str(fresh))
    assert code == 130 and not fresh.exists()
    assert err.endswith(f"interrupted before any case finished; {fresh} was not written\n")


class _CutShort:
    """A file whose next write stops part-way with an interrupt, as Ctrl-C
    can land during a write."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])
        raise KeyboardInterrupt

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


def test_a_batch_cut_short_by_an_interrupt_is_left_out_of_the_table(tmp_path: Path) -> None:
    from sroi.sweep.table import TableWriter

    grid = write(tmp_path / "g.csv", BAD_GRID.replace("bad,-1", "bad,0.6"))
    whole = tmp_path / "whole.csv"
    sweep(OXFORD, whole, grid=grid, draws=100, seed=SEED)
    rows = list(read_rows(whole))
    first = [r for r in rows if r.case == rows[0].case]
    second = [r for r in rows if r.case != rows[0].case]
    out = tmp_path / "out.csv"
    with TableWriter(out) as writer:
        writer.write(first)
        writer._handle = _CutShort(writer._handle)
        with pytest.raises(KeyboardInterrupt):
            writer.write(second)  # half its bytes reach the file
        assert writer.rows == len(first)
    assert list(read_rows(out)) == first  # whole rows only: no part of the second batch
    assert out.read_bytes().endswith(b"\n")


def test_area_names_in_any_script_with_common_punctuation(tmp_path: Path) -> None:
    grid = write(
        tmp_path / "g.csv",
        "area,delivery.referrals_per_year\nYnys Môn,40\nBrighton & Hove,50\nKing's Lynn,30\n",
    )
    out = tmp_path / "out.csv"
    report = sweep(OXFORD, out, grid=grid, draws=0)
    assert report.ran == 3 and not report.failures
    assert {r.case for r in read_rows(out)} == {
        "oxford/Ynys Môn",
        "oxford/Brighton & Hove",
        "oxford/King's Lynn",
    }
    long = "x" * 101
    for bad in ("a/b", "=1+1", long):
        write(grid, f"area,delivery.referrals_per_year\n{bad},40\n")
        with pytest.raises(sroi.ScenarioError) as caught:
            sweep(OXFORD, out, grid=grid, draws=0)
        message = str(caught.value)
        assert "expected a name of a letter or digit, then letters" in message
        assert "at most 100 characters" in message
    assert "(101 characters)" in message  # the long name is shortened, with its length


def test_a_yaml_grid_too_large_to_read_suggests_csv(tmp_path: Path) -> None:
    rows = "".join(f"  - {{area: a{i}, delivery.referrals_per_year: 40}}\n" for i in range(8000))
    grid = write(tmp_path / "big.yaml", "grid:\n" + rows)
    with pytest.raises(sroi.ScenarioError) as caught:
        read_grid(grid)
    message = str(caught.value)
    assert "so it was not read further; a YAML grid holds a few thousand rows at most" in message
    assert "write a larger one as CSV" in message and "scenario" not in message


def test_a_grid_cell_past_the_csv_limit_is_a_located_problem(tmp_path: Path) -> None:
    """A runaway quoted cell of 140,000 characters raised csv's own error,
    which reached the user as an internal error (exit status 1)."""
    import csv

    grid = write(tmp_path / "g.csv", 'area,site.notes\nok,fine\nx,"' + "y" * 140_000 + '"\n')
    with pytest.raises(sroi.ScenarioError) as caught:
        read_grid(grid)
    limit = f"{csv.field_size_limit():,}"
    assert [str(p) for p in caught.value.problems] == [
        f"{grid}:3:1: (row): cannot read this row: a cell is longer than {limit} characters "
        '(check for a double quote (") that opens a cell and is never closed)'
    ]
    header = write(tmp_path / "h.csv", "area," + "z" * 140_000 + "\n")
    with pytest.raises(sroi.ScenarioError) as caught:
        read_grid(header)
    assert str(caught.value.problems[0]).startswith(f"{header}:1:1: (row): cannot read this row")
