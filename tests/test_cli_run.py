"""``sroi run``: the JSON document and the table, and argument errors."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

import sroi
from sroi.cli.main import main
from sroi.engine.metrics import MAYBE_UNDEFINED, SCALAR_METRICS, SPLIT_METRICS
from sroi.scenario import load_scenario
from sroi.scenario.discover import scenario_files

ROOT = Path(__file__).resolve().parents[1]
FAMILY = ROOT / "scenarios" / "family_action_pss"
CASES = Path(__file__).parent / "cases"
STATISTICS = ("mean", "sd", "se", "p5", "p50", "p95")
PROBABILITIES = ("prob_sroi_above_1", "prob_npv_positive", "prob_payback", "sroi_ratio_of_means")
DRAWS = 400
SEED = 3


def run_cli(*args: str) -> tuple[int, str, str]:
    """``sroi run ARGS`` in process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["run", *args])
        except SystemExit as exc:  # argparse errors
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def strict_json(text: str) -> Any:
    """Parse JSON, failing on NaN, Infinity or -Infinity."""

    def refuse(name: str) -> Any:
        raise AssertionError(f"non-finite number {name} in the JSON document")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    code, out, err = run_cli(str(FAMILY), "--json", "--draws", str(DRAWS), "--seed", str(SEED))
    assert code == 0, err
    return strict_json(out)


def family_scenarios() -> list[tuple[str, Any]]:
    return [(f, load_scenario(f)) for f in scenario_files([str(FAMILY)])]


def check_base_case(base: dict[str, Any], where: str) -> None:
    assert set(base) == set(SCALAR_METRICS) | set(SPLIT_METRICS), where
    for key in SCALAR_METRICS:
        value = base[key]
        assert value is None or isinstance(value, (int, float)), (where, key)
        if key not in MAYBE_UNDEFINED:
            assert isinstance(value, (int, float)), f"{where} {key} must always be defined"
    for split, keys in SPLIT_METRICS.items():
        assert set(base[split]) == set(keys), (where, split)
        assert all(isinstance(v, (int, float)) for v in base[split].values()), (where, split)
    payback = base["payback_year"]
    assert payback is None or (isinstance(payback, int) and payback >= 0), where


def check_summary(summary: dict[str, Any], metric: str, where: str) -> None:
    assert set(STATISTICS) <= set(summary), (where, metric)
    if metric.split(".")[0] in MAYBE_UNDEFINED:
        assert 0 <= summary["defined"] <= 1, (where, metric)
    values = [summary[s] for s in STATISTICS]
    if all(v is not None for v in values):
        assert summary["p5"] <= summary["p50"] <= summary["p95"], (where, metric)
        assert summary["sd"] >= 0
        defined = summary.get("defined", 1.0)
        n = round(defined * DRAWS)
        assert summary["se"] == pytest.approx(summary["sd"] / math.sqrt(n), rel=1e-9)


def check_monte_carlo(mc: dict[str, Any], where: str) -> None:
    assert set(mc) == set(SCALAR_METRICS) | set(SPLIT_METRICS), where
    for key in SCALAR_METRICS:
        check_summary(mc[key], key, where)
    for split, keys in SPLIT_METRICS.items():
        assert set(mc[split]) == set(keys), (where, split)
        for k in keys:
            check_summary(mc[split][k], f"{split}.{k}", where)


def check_probabilities(entry: dict[str, Any], where: str) -> None:
    for key in PROBABILITIES[:3]:
        assert 0 <= entry[key] <= 1, (where, key)
    assert entry["sroi_ratio_of_means"] > 0, where


def test_json_top_level(document: dict[str, Any]) -> None:
    assert {"sroi_version", "seed", "draws", "scenarios", "programme"} <= set(document)
    assert document["sroi_version"] == sroi.__version__
    assert document["seed"] == SEED
    assert document["draws"] == DRAWS


def test_json_scenarios(document: dict[str, Any]) -> None:
    expected = sorted(family_scenarios(), key=lambda fs: fs[1].id)
    assert [s["id"] for s in document["scenarios"]] == [s.id for _, s in expected]
    for entry, (file, scenario) in zip(document["scenarios"], expected, strict=True):
        where = entry["id"]
        assert entry["name"] == scenario.name
        assert Path(entry["file"]).resolve() == Path(file).resolve()
        assert entry["sha256"] == hashlib.sha256(Path(file).read_bytes()).hexdigest()
        check_base_case(entry["base_case"], where)
        check_monte_carlo(entry["monte_carlo"], where)
        check_probabilities(entry, where)


def test_json_programme(document: dict[str, Any]) -> None:
    programme = document["programme"]
    check_base_case(programme["base_case"], "programme")
    check_monte_carlo(programme["monte_carlo"], "programme")
    check_probabilities(programme, "programme")
    total = sum(s["base_case"]["value_pv"] for s in document["scenarios"])
    assert programme["base_case"]["value_pv"] == pytest.approx(total, rel=1e-9)


def test_json_agrees_with_the_python_api(document: dict[str, Any]) -> None:
    results = sroi.run(scenario_files([str(FAMILY)]), draws=DRAWS, seed=SEED)
    for entry in document["scenarios"]:
        for key in ("users", "cost_pv", "value_pv", "npv", "sroi_ratio"):
            assert entry["base_case"][key] == results.base_value(key, entry["id"])
            assert entry["monte_carlo"][key]["mean"] == results.summaries(entry["id"])[key]["mean"]
        probs = results.probabilities(entry["id"])
        for key in PROBABILITIES:
            assert entry[key] == probs[key]
    # A ratio's expected value is in the summaries and the tidy summary too,
    # as in the JSON; a metric that is not a ratio has none.
    oxford = results.summaries("oxford")
    assert oxford["unit_cost"]["expected"] == results.expected("unit_cost", "oxford")
    assert oxford["unit_cost"]["expected"] != oxford["unit_cost"]["mean"]
    assert "expected" not in oxford["npv"]
    tidy = results.summary().set_index(["scenario", "metric", "statistic"])["value"]
    assert tidy["oxford", "sroi_ratio", "expected"] == results.expected("sroi_ratio", "oxford")


def test_json_undefined_metrics_are_null() -> None:
    """Case B never pays back: payback is null in the base case and in every
    draw, and the document still parses without NaN."""
    code, out, err = run_cli(str(CASES / "hand_b.yaml"), "--json", "--draws", "50")
    assert code == 0, err
    doc = strict_json(out)
    (entry,) = doc["scenarios"]
    assert entry["base_case"]["payback_year"] is None
    summary = entry["monte_carlo"]["payback_year"]
    assert summary["defined"] == 0
    assert all(summary[s] is None for s in STATISTICS)
    assert entry["prob_payback"] == 0


def test_json_draws_zero_omits_monte_carlo() -> None:
    code, out, err = run_cli(str(FAMILY), "--json", "--draws", "0")
    assert code == 0, err
    doc = strict_json(out)
    assert doc["draws"] == 0
    for entry in [*doc["scenarios"], doc["programme"]]:
        assert "monte_carlo" not in entry
        check_base_case(entry["base_case"], entry.get("id", "programme"))


@pytest.mark.slow
def test_json_is_identical_across_workers_chunks_and_order() -> None:
    files = [str(FAMILY / "hackney.yaml"), str(FAMILY / "oxford.yaml")]
    common = ["--json", "--draws", "12000", "--seed", "7"]
    code1, one, err1 = run_cli(*files, *common)
    code2, two, err2 = run_cli(*reversed(files), *common, "--workers", "2", "--chunk-size", "5000")
    code3, three, err3 = run_cli(*files, *common, "--chunk-size", "1000")
    assert code1 == code2 == code3 == 0, (err1, err2, err3)
    assert one == two == three


def test_table_names_money_sites_and_programme() -> None:
    code, out, err = run_cli(str(FAMILY), "--draws", "200")
    assert code == 0, err
    assert "GBP" in out
    assert "2011" in out
    for _, scenario in family_scenarios():
        assert scenario.name in out
    assert "Programme" in out
    assert "Traceback" not in out + err


def test_table_with_draws_zero() -> None:
    code, out, err = run_cli(str(CASES / "hand_a.yaml"), "--draws", "0")
    assert code == 0, err
    assert "Hand-worked A" in out and "GBP" in out and "2011" in out
    # One scenario is its own programme: the block is not printed twice.
    assert "Programme" not in out
    assert "year 0 is the first delivery year" in " ".join(out.split())
    code, out, err = run_cli(str(CASES / "hand_a.yaml"), str(CASES / "hand_b.yaml"), "--draws", "0")
    assert code == 0, err
    assert out.count("Programme: all scenarios together") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--draws", "-1"], "--draws"),
        (["--draws", "x"], "--draws"),
        (["--draws", "1.5"], "--draws"),
        (["--workers", "0"], "--workers"),
        (["--seed", "-3"], "--seed"),
        (["--bogus"], "--bogus"),
    ],
)
def test_bad_arguments_exit_2(args: list[str], message: str) -> None:
    code, out, err = run_cli(str(CASES / "hand_a.yaml"), *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err
    assert out == ""


def test_no_path_exits_2() -> None:
    code, out, err = run_cli()
    assert code == 2
    assert "PATH" in err
    assert "Traceback" not in out + err


def test_missing_path_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    code, out, err = run_cli(str(missing))
    assert code == 2
    assert "nowhere.yaml" in err and "no such file" in err
    assert "Traceback" not in out + err
    assert out == ""


def test_invalid_scenario_exits_2_with_located_errors(tmp_path: Path) -> None:
    text = (CASES / "hand_b.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("  uptake: 0.4", "  uptak: 0.4"), encoding="utf-8")
    code, out, err = run_cli(str(bad), "--json")
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines
    for line in lines:
        assert re.match(r"^.+bad\.yaml:\d+:\d+: \S+: .+", line), line
    assert "did you mean 'uptake'" in err


def test_duplicate_ids_exit_2(tmp_path: Path) -> None:
    text = (CASES / "hand_b.yaml").read_text(encoding="utf-8")
    for name in ("one.yaml", "two.yaml"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = run_cli(str(tmp_path))
    assert code == 2
    assert "hand_b" in err and "unique" in err
    assert "Traceback" not in out + err


# --------------------------------------------------------------------------- non-finite results

CORPUS_BASE = Path(__file__).parent / "corpus" / "_base.yaml"


def _poison_draw(monkeypatch: pytest.MonkeyPatch, at: int) -> None:
    """Make every gamma (the base's proxy) draw infinity at position ``at``."""
    import numpy as np

    from sroi.distributions import Gamma

    honest = Gamma._draw

    def draw(self: Gamma, rng: Any, size: int) -> Any:
        x = honest(self, rng, size)
        return np.where(np.arange(size) == at, np.inf, x)

    monkeypatch.setattr(Gamma, "_draw", draw)


def test_an_infinite_value_in_a_draw_stops_the_run_naming_scenario_and_outcome(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No valid scenario is known to overflow any more; this stands in for
    # one. Once, such a draw gave "Value PV -" beside "P(return > 1) 100%".
    from sroi.engine.errors import ResultError

    _poison_draw(monkeypatch, 5)
    with pytest.raises(ResultError) as caught:
        sroi.run(CORPUS_BASE, draws=50)
    assert str(caught.value).startswith(
        "scenario 'corpus_base': its value PV is infinite in draw 5 of the run (counting from "
        "0); it comes from outcomes.nhs_costs. Some value in the scenario is too extreme"
    )
    code, out, err = run_cli(str(CORPUS_BASE), "--draws", "1000")
    assert (code, out) == (2, "")
    assert err.startswith("sroi: error: scenario 'corpus_base': its value PV is infinite")
    assert "warning" not in err and "Traceback" not in err


def test_a_nan_in_the_base_case_or_a_cost_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from sroi.distributions import Gamma, Pert
    from sroi.engine.errors import ResultError

    monkeypatch.setattr(Gamma, "central", lambda self: math.nan)
    with pytest.raises(ResultError, match=r"its value PV is not a number \(NaN\) in the base case"):
        sroi.run(CORPUS_BASE, draws=0)
    monkeypatch.undo()
    monkeypatch.setattr(Pert, "central", lambda self: math.inf if self.high > 1e4 else self.mode)
    with pytest.raises(ResultError, match=r"^scenario 'corpus_base': its total cost is infinite"):
        sroi.run(CORPUS_BASE, draws=0)


def test_compare_stops_rather_than_rank_an_infinite_value(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Once, a scenario with a NaN value PV came first with P(best) 100%.
    _poison_draw(monkeypatch, 0)
    assert main(["compare", str(CORPUS_BASE), str(FAMILY / "oxford.yaml"), "--draws", "1000"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("sroi: error: scenario 'corpus_base': its value PV is infinite")


def test_a_negative_number_in_exponent_form_is_read_as_a_value() -> None:
    """``--draws -1e3`` is a value to check, not an unknown option: Python
    3.11's argparse answered "expected one argument"."""
    oxford = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"
    code, _, err = run_cli(str(oxford), "--draws", "-1e3")
    assert code == 2
    assert "argument --draws: expected a number >= 0; found -1000" in err
    assert "expected one argument" not in err


@pytest.mark.parametrize(
    ("text", "value"), [("1e6", 10**6), ("2.5E3", 2500), ("1e23", 10**23), ("1_000", 1000)]
)
def test_whole_numbers_may_be_written_in_scientific_notation(text: str, value: int) -> None:
    """``--draws 1e6`` is a million, as the web page reads it; read exactly,
    so 1e23 is 10^23, not the float nearest it."""
    from sroi.cli.options import whole_number

    assert whole_number(0)(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.5", "expected a whole number; found '1.5'"),
        ("1.5e0", "expected a whole number; found '1.5e0'"),
        ("nan", "expected a whole number; found 'nan'"),
        ("1e", "expected a whole number; found '1e'"),
        ("1e300", "expected a number <= 100,000,000; found 1e300"),
        ("1e999999999", "expected a number <= 100,000,000; found 1e999999999"),
    ],
)
def test_numbers_that_are_not_whole_or_too_large_are_refused(text: str, message: str) -> None:
    oxford = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"
    code, _, err = run_cli(str(oxford), "--draws", text)
    assert code == 2
    assert f"argument --draws: {message}" in err


def test_a_few_draws_run_with_a_warning_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    """Fewer than 1,000 draws (not 0, the base case alone) give percentiles and
    chances too rough to report: every command that takes --draws says so."""
    oxford = str(FAMILY / "oxford.yaml")
    warning = (
        "sroi: warning: --draws 5 is fewer than 1,000: percentiles (p5, p95) and chances "
        "(P(> 1)) from so few draws are too rough to report (see docs/methodology.md §12); "
        "use the default 10,000, or --draws 0 for the base case alone\n"
    )
    code, out, err = run_cli(oxford, "--draws", "5")
    assert (code, err) == (0, warning) and "P(> 1)" in out
    assert main(["compare", oxford, str(FAMILY / "hackney.yaml"), "--draws", "5"]) == 0
    assert capsys.readouterr().err == warning
    for quiet in ("0", "1000", "1e4"):
        code, _, err = run_cli(oxford, "--draws", quiet)
        assert (code, err) == (0, ""), quiet


@pytest.mark.parametrize("port", ["99999", "-1", "1e99", "x"])
def test_a_bad_app_port_is_an_error_of_the_app_command(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["app", "--port", port])
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        "usage: sroi app [-h] [--port P] [--no-browser]",
        "sroi app: error: argument --port: expected a port from 1 to 65535, or 0 for any "
        f"free port; found {port!r}",
    ]


def test_a_command_refusing_its_options_shows_its_own_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A check a command makes after parsing is reported as argparse reports
    its own: with that command's usage, not the top-level one."""
    with pytest.raises(SystemExit) as stop:
        main(["sweep", str(FAMILY / "oxford.yaml"), "--out", "x.csv"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: sroi sweep ") and "usage: sroi [-h]" not in err
    assert err.endswith("sroi sweep: error: give --grid, --design, or both\n")
