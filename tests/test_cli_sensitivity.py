"""``sroi sensitivity``: each method as a table and as JSON; argument errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sroi.cli.main import main
from sroi.cli.sensitivity_cmd import METHODS

ROOT = Path(__file__).resolve().parents[1]
FAMILY = ROOT / "scenarios" / "family_action_pss"
OXFORD = str(FAMILY / "oxford.yaml")


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["sensitivity", *args])
    except SystemExit as exc:  # argparse errors
        code = exc.code if isinstance(exc.code, int) else 2
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_explains_every_method(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for name in METHODS:
        assert f"  {name} " in out
    assert "tornado" in out and "docs/sensitivity.md" in out


def test_oneway_table(capsys):
    code, out, err = run(capsys, OXFORD, "--method", "oneway")
    assert code == 0, err
    assert out.startswith(
        "Perspective: Society (value PV to every payer / cost PV)\n"
        "One-way sensitivity of the SROI ratio [GBP value per GBP cost]"
    )
    lines = out.splitlines()
    first = next(line for line in lines if line.strip().startswith("1  "))
    assert "Relative risk of depression with befriending" in first
    assert "Not moved" in out and "Deadweight (every outcome)" in out
    assert "effect.relative_risk" not in out


def test_oneway_json(capsys):
    code, out, _ = run(
        capsys, OXFORD, "--method", "oneway", "--metric", "npv", "--band", "0.1", "--json"
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["method"] == "oneway" and doc["metric"] == "npv" and doc["band"] == 0.1
    assert doc["scenario"] == "oxford"
    keys = [
        "path",
        "label",
        "scenario",
        "kind",
        "unit",
        "input_low",
        "input_central",
        "input_high",
        "metric_low",
        "metric_high",
        "swing",
        "base",
    ]
    assert list(doc["rows"][0]) == keys
    assert doc["rows"][0]["swing"] >= doc["rows"][-1]["swing"]


def test_breakeven_table_and_json(capsys):
    code, out, _ = run(capsys, OXFORD, "--method", "breakeven", "--metric", "npv")
    assert code == 0
    assert out.splitlines()[1].startswith("Break-even: NPV = 0 [GBP]")
    assert "No break-even anywhere in the range searched:" in out
    code, out, _ = run(
        capsys, OXFORD, "--method", "breakeven", "--metric", "unit_cost",
        "--target-value", "3000", "--json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert (doc["target"], doc["value"]) == ("unit_cost", 3000.0)
    none = [r for r in doc["rows"] if r["status"] == "none"]
    assert none and all(r["breakeven"] is None and r["change"] is None for r in none)
    assert "NaN" not in out


def test_sobol_table_and_json(capsys):
    args = [OXFORD, "--method", "sobol", "--samples", "64", "--seed", "2"]
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert "correlated ones as one group" in out
    assert "Share of lifetime … (10 correlated)" in out
    assert "SROI ratio [GBP value per GBP cost]" in out and "NPV [GBP]" in out
    assert out.count("variance: Monte Carlo / Sobol' = ") == 2
    code, out, _ = run(capsys, *args, "--metric", "npv", "--json")
    doc = json.loads(out)
    assert doc["method"] == "sobol" and doc["metrics"] == ["npv"] and doc["seed"] == 2
    assert doc["base_samples"] == 64 and doc["groups"] == doc["values"] - 9
    assert doc["variance_ratio"]["npv"] > 0 and doc["mc_draws"] == 8192
    assert {"S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high", "correlated", "paths"} <= set(
        doc["rows"][0]
    )


def test_sobol_says_plainly_that_a_metric_does_not_vary(capsys):
    # The corpus base has nothing cashable: its cashable return is 0 in every run.
    base = str(Path(__file__).parent / "corpus" / "_base.yaml")
    args = ["--method", "sobol", "--samples", "64", "--perspective", "cashable"]
    code, out, err = run(capsys, base, *args)
    assert (code, err) == (0, "")
    assert (
        "cashable return [GBP cashable value per GBP cash cost]\n"
        "  does not vary: every model run gives 0.000, so there is no variance to decompose: "
        "no indices\n"
    ) in out
    assert "nan" not in out
    doc = json.loads(run(capsys, base, *args, "--json")[1])
    assert doc["constant"] == {"cashable_roi": 0.0} and doc["sum_s1"]["cashable_roi"] is None


def test_programme_of_a_folder(capsys):
    code, out, _ = run(capsys, str(FAMILY), "--method", "oneway", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["scenario"] == "programme" and len(doc["scenarios"]) == 4
    assert any(r["scenario"] == "all" for r in doc["rows"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--method", "sobol", "--band", "0.1"], "--band does not apply to --method sobol"),
        (["--method", "oneway", "--samples", "64"], "--samples does not apply"),
        (["--method", "oneway", "--metric", "roi"], "unknown metric 'roi'"),
        (["--method", "breakeven", "--metric", "unit_cost"], "needs --target-value"),
        (["--method", "breakeven", "--metric", "roi"], "unknown metric 'roi'"),
        (["--method", "breakeven", "--metric", "payback_year"], "a whole year that jumps"),
        (["--method", "oneway", "--scenario", "nowhere"], "no scenario 'nowhere'"),
        (["--method", "oneway", "--band", "2"], "between 0 and 1"),
        (["--method", "sobol", "--samples", "1000"], "power of 2"),
        (["--method", "breakeven", "--target-value", "inf"], "finite"),
        (["--method", "magic"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_2(capsys, args, message):
    code, out, err = run(capsys, OXFORD, *args)
    assert code == 2
    assert message in err
    assert out == ""


def test_invalid_scenario_exits_2(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nid: bad\n", encoding="utf-8")
    code, _, err = run(capsys, str(bad), "--method", "oneway")
    assert code == 2 and "bad.yaml" in err


def doc_examples() -> list[tuple[str, list[str]]]:
    """Worked examples in docs/sensitivity.md: (command, lines shown)."""
    text = (ROOT / "docs" / "sensitivity.md").read_text(encoding="utf-8")
    found = []
    for block in text.split("```text\n")[1:]:
        lines = block.split("```", 1)[0].splitlines()
        if lines and lines[0].startswith("$ sroi sensitivity") and "sobol" not in lines[0]:
            found.append((lines[0][2:], [line for line in lines[1:] if line.strip() != "..."]))
    return found


@pytest.mark.parametrize(("command", "shown"), doc_examples(), ids=lambda x: str(x)[:60])
def test_docs_show_real_output(capsys, monkeypatch, command, shown):
    """Every line of the guide's (trimmed) worked examples is printed today."""
    monkeypatch.chdir(ROOT)
    code, out, _ = run(capsys, *command.split()[2:])
    assert code == 0
    printed = set(out.splitlines())
    missing = [line for line in shown if line not in printed]
    assert not missing, f"docs/sensitivity.md is out of date for `{command}`: {missing}"


#: Per method: its extra arguments, and the seed, draws and sampler its run
#: header must give.  One-way and break-even evaluate designed settings and
#: draw no random numbers (seed None, 0 draws); Sobol' records its seed and
#: the draws of its Monte Carlo variance check, max(2 N, 8192) = 8192 for
#: N = 64; value of information records its own seed and draws.
HEADERS = {
    "oneway": ((), None, 0),
    "breakeven": ((), None, 0),
    "sobol": (("--samples", "64", "--seed", "5"), 5, 8192),
    "voi": (("--draws", "200", "--seed", "7"), 7, 200),
}


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_json_document_leads_with_the_run_header(capsys, method):
    """Each method's document carries the keys of RunInfo.header, with the
    version, the perspective asked for, the scenarios' money and each file's
    SHA-256."""
    import hashlib

    from sroi._version import __version__
    from sroi.results.run_info import RunInfo, ScenarioInfo

    extra, seed, draws = HEADERS[method]
    args = [OXFORD, "--method", method, "--perspective", "public_sector", *extra, "--json"]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    doc = json.loads(out)
    sha = hashlib.sha256(Path(OXFORD).read_bytes()).hexdigest()
    common = (Path(OXFORD).parent / "_common.yaml").resolve()
    parent = (str(common), hashlib.sha256(common.read_bytes()).hexdigest())
    oxford = ScenarioInfo("oxford", "", OXFORD, sha, "GBP", 2011, (parent,))
    expected = RunInfo(seed, draws, (oxford,), perspective="public_sector").header(
        method=method, money=True, files=True
    )
    assert list(doc)[: len(expected)] == list(expected)
    assert {k: doc[k] for k in expected} == expected
    assert doc["sroi_version"] == __version__ and doc["sampler"] == "random"
