"""The sweep guide's examples: the failure report it shows is what the tool
prints, and its pandas recipe runs on a real sweep table."""

from __future__ import annotations

import contextlib
import io
import pickle
import re
import shlex
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sroi import load_scenario
from sroi.cli.main import main
from sroi.sweep import plan_cases, read_designs, read_grid, sweep
from sroi.sweep.task import Task, run_task

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "sweeps.md"


def block_after(marker: str, lang: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    found = re.search(rf"{re.escape(marker)}\n```{lang}\n(.*?)^```$", text, flags=re.M | re.S)
    assert found, f"no {lang} block after {marker!r} in {GUIDE.name}"
    return found.group(1)


def test_the_failure_example_is_what_sroi_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = block_after("the other cases still run:\n", "text").splitlines()
    command = shlex.split(shown.pop(0).removeprefix("$ "))
    (tmp_path / "grid.csv").write_text("area,costs.coordinator.fte\nok_one,0.8\nbad,-1\nok_two,1\n")
    folder = tmp_path / "scenarios" / "family_action_pss"
    folder.mkdir(parents=True)
    for name in ("oxford.yaml", "_common.yaml"):
        shutil.copy(ROOT / "scenarios" / "family_action_pss" / name, folder / name)
    monkeypatch.chdir(tmp_path)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(command[1:]) == 2
    assert err.getvalue().splitlines() == shown


def test_the_refused_output_example_is_what_sroi_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = block_after("the sweep stops with exit status 2:\n", "text").splitlines()
    command = shlex.split(shown.pop(0).removeprefix("$ "))
    grid = tmp_path / "areas.csv"
    grid.write_text("area,delivery.referrals_per_year\nsmall,20\nbig,200\n")
    for name in ("oxford.yaml", "_common.yaml"):
        shutil.copy(ROOT / "scenarios" / "family_action_pss" / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(command[1:]) == 2
    assert err.getvalue().splitlines() == shown
    assert grid.read_text() == "area,delivery.referrals_per_year\nsmall,20\nbig,200\n"


def test_the_resume_examples_are_what_sroi_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "grid.csv").write_text(
        "area,delivery.referrals_per_year\nsmall,20\nbig,200\nmid,90\n"
    )
    for name in ("oxford.yaml", "_common.yaml"):
        shutil.copy(ROOT / "scenarios" / "family_action_pss" / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    cut = block_after("gone on past the cut. It says so:\n", "text").splitlines()
    damaged = block_after("with the line to look\nat (exit status 2):\n", "text").splitlines()
    command = [*shlex.split(cut.pop(0).removeprefix("$ "))[1:], "--draws", "1000"]
    assert [*shlex.split(damaged.pop(0).removeprefix("$ "))[1:], "--draws", "1000"] == command
    fresh = [a for a in command if a != "--resume"]
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(fresh) == 0
    table = Path("sweep.csv")
    lines = table.read_text().splitlines(keepends=True)
    shown = {"cut": cut, "damaged": damaged}
    for example, text in [
        ("cut", "".join(lines[:280]) + lines[280][:40]),  # part-way through line 281
        ("damaged", "".join([*lines[:20], "oxford/small,small\n", *lines[20:]])),  # line 21
    ]:
        table.write_text(text)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            assert main(command) == (0 if example == "cut" else 2)
        assert err.getvalue().splitlines() == shown[example]


def test_the_pandas_recipe_runs_on_a_sweep_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sweep(
        ROOT / "scenarios" / "family_action_pss" / "oxford.yaml",
        tmp_path / "sweep.csv",
        grid=ROOT / "scenarios" / "sweeps" / "areas.yaml",
        designs=ROOT / "scenarios" / "sweeps" / "designs.yaml",
        draws=300,
    )
    monkeypatch.chdir(tmp_path)
    names: dict[str, object] = {}
    exec(block_after("<!-- sweep-pandas -->", "python"), names)
    best, p_best, failed = names["best"], names["p_best"], names["failed"]
    areas = {"rural_district", "market_towns", "inner_city_borough", "large_city"}
    assert set(best.index) == areas  # type: ignore[attr-defined]
    assert set(best) <= {
        "part_time_small_pool",
        "full_time_large_pool",
        "full_time_counsellor_group",
    }  # type: ignore[arg-type]
    assert p_best.sum(axis=1).round(12).eq(1).all()  # type: ignore[attr-defined]
    assert failed.empty  # type: ignore[attr-defined]


def test_the_pandas_recipe_keeps_areas_named_like_missing_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NA, null and None are area names; pandas' defaults read them as
    missing, and the recipe's pivot dropped those areas without a word."""
    grid = tmp_path / "g.csv"
    grid.write_text("area,costs.coordinator.fte\nNA,0.5\nnull,0.7\nNone,0.9\nLeeds,1\n")
    sweep(
        ROOT / "scenarios" / "family_action_pss" / "oxford.yaml",
        tmp_path / "sweep.csv",
        grid=grid,
        designs=ROOT / "scenarios" / "sweeps" / "designs.yaml",
        draws=50,
    )
    monkeypatch.chdir(tmp_path)
    names: dict[str, object] = {}
    exec(block_after("<!-- sweep-pandas -->", "python"), names)
    assert set(names["best"].index) == {"NA", "null", "None", "Leeds"}  # type: ignore[attr-defined]
    assert names["failed"].empty  # type: ignore[attr-defined]


@pytest.mark.slow
def test_the_bundled_sweep_gives_the_figures_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The opening example prints the summary shown, and the pandas recipe on
    its table gives the public returns and P(best) the guide quotes."""
    shown = block_after("writes one tidy table. You do not need a YAML file per case.\n", "text")
    lines = shown.splitlines()
    words = lines.pop(0).removeprefix("$ ")
    while words.endswith("\\"):
        words = words[:-1] + lines.pop(0)
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    assert main(shlex.split(words)[1:]) == 0
    assert capsys.readouterr().err.splitlines() == lines
    names: dict[str, object] = {}
    exec(block_after("<!-- sweep-pandas -->", "python"), names)
    means, p_best = names["means"], names["p_best"]
    text = GUIDE.read_text(encoding="utf-8")
    for frame, after in [
        (means["public_return"].unstack().round(3), "to three places):\n"),  # type: ignore[index]
        (p_best.round(3), "net of cost) reads, to three places:\n"),  # type: ignore[attr-defined]
    ]:
        found = re.search(rf"{re.escape(after)}\n```text\n(.*?)^```$", text, flags=re.M | re.S)
        assert found, f"{GUIDE.name}: no table after {after!r}"
        with pd.option_context("display.width", 200, "display.max_columns", 10):
            printed = [line.rstrip() for line in frame.to_string().splitlines()]
        assert printed == found.group(1).splitlines(), "\n".join(printed)


def test_the_sizes_scale_out_quotes(tmp_path: Path) -> None:
    """docs/scale-out.md: what one area's task and each case's rows weigh pickled."""
    text = " ".join((ROOT / "docs" / "scale-out.md").read_text(encoding="utf-8").split())
    task_kb = re.search(
        r"about (\d+) KB for Oxford with three designs \(the scenario is about (\d+) KB", text
    )
    case_kb = re.search(r"about (\d+) KB per case \((\d+) rows\)", text)
    assert task_kb and case_kb, "docs/scale-out.md lost its table of sizes"
    base = load_scenario(ROOT / "scenarios" / "family_action_pss" / "oxford.yaml")
    areas = read_grid(ROOT / "scenarios" / "sweeps" / "areas.yaml")
    designs = read_designs(ROOT / "scenarios" / "sweeps" / "designs.yaml")
    cases = tuple(plan_cases([base], areas[:1], designs, draws=200, seed=0))
    task = Task(cases, 200, 0, 16_384)
    outcomes = run_task(task)
    assert len(cases) == 3 and all(o.error is None for o in outcomes)
    assert {len(o.rows) for o in outcomes} == {int(case_kb[2])}
    for quoted, size in [
        (task_kb[1], len(pickle.dumps(task))),
        (task_kb[2], len(pickle.dumps(base))),
        (case_kb[1], max(len(pickle.dumps(o)) for o in outcomes)),
    ]:
        assert abs(size / 1000 - int(quoted)) <= 1, f"quoted about {quoted} KB; pickled {size:,} B"


def test_the_table_section_says_which_numbers_of_the_run_document_are_rows() -> None:
    """Every key of a run's scenario entry that holds numbers is named in "The
    table" as held or as left out, and what it says has no row has none."""
    import sroi
    from sroi.results.document import document
    from sroi.sweep.rows import document_rows

    text = GUIDE.read_text(encoding="utf-8").split("## The table\n", 1)[1].split("\n| column", 1)[0]
    doc = document(sroi.run(ROOT / "scenarios" / "family_action_pss" / "oxford.yaml", draws=200))
    entry = doc["scenarios"][0]
    descriptive = {"id", "name", "file", "sha256", "extends", "currency", "price_year"}
    for key in set(entry) - descriptive:
        assert f"`{key}`" in text, key
    assert "`precision`" in text and "precision" in doc
    rows = {(r.metric, r.statistic) for r in document_rows(doc, "c", "a", "d", "h")}
    metrics = {metric for metric, _ in rows}
    assert {"headline", "returns", "precision"}.isdisjoint(metrics)
    assert ("prob_sroi_above_1", "estimate") in rows
    assert not any("prob_above_1" in metric for metric in metrics)
    # the expected public return, mean value / mean cost, is the row
    # (public_roi, expected), as the returns block gives it
    expected = entry["returns"]["public_roi"]["expected"]
    means = entry["monte_carlo"]
    assert expected == pytest.approx(
        means["public_value_pv"]["mean"] / means["cash_cost_pv"]["mean"]
    )
    values = {(r.metric, r.statistic): r.value for r in document_rows(doc, "c", "a", "d", "h")}
    assert values["public_roi", "expected"] == expected
