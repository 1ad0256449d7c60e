"""Worked examples and numbers quoted in the guides are what the tool prints
today (seed 0, 10,000 draws, as the guides say).

Only examples that re-run in a second or two are checked here; the
sensitivity guide's one-way and break-even examples are checked in
``test_cli_sensitivity.py`` and the README's `sroi run` sample in
``test_readme.py``.  When a test fails, re-run the command shown in the guide
and paste its output, trimmed the same way.
"""

from __future__ import annotations

import io
import re
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest

import sroi
from sroi.cli.main import main
from sroi.engine.accumulate import STORE_BUDGET_BYTES
from sroi.engine.runner import RunPlan, flow_metric_names
from sroi.scenario.discover import scenario_files

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SITES = "scenarios/family_action_pss"


def shown_example(doc: Path, command: str) -> tuple[list[str], list[str]]:
    """The ``text`` block of ``doc`` that starts ``$ COMMAND``: the command's
    words (backslash continuations joined) and the lines shown after it."""
    text = doc.read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```text\n")[1:]]
    found = [b for b in blocks if b.startswith(f"$ {command}")]
    assert len(found) == 1, f"{doc.name}: expected one example of `{command}`; found {len(found)}"
    lines = found[0].splitlines()
    words = lines.pop(0)[2:]
    while words.endswith("\\"):
        words = words[:-1] + lines.pop(0)
    return shlex.split(words), lines


def missing_lines(shown: list[str], printed: str) -> list[str]:
    """Lines shown in a guide (ignoring blanks and ``...`` trimming marks) that
    the command no longer prints."""
    out = {line.rstrip() for line in printed.splitlines()}
    return [line for line in shown if line.strip() not in ("", "...") and line.rstrip() not in out]


class EchoingTerminal:
    """Typed answers that say they come from a terminal, and echo as a terminal
    does, so the output reads like the session shown in the guide."""

    def __init__(self, typed: str) -> None:
        self._typed = io.StringIO(typed)

    def isatty(self) -> bool:
        return True

    def readline(self) -> str:
        line = self._typed.readline()
        sys.stdout.write(line)
        return line


@pytest.fixture(scope="module")
def sites() -> sroi.Results:
    return sroi.run(ROOT / SITES, draws=10_000, seed=0)


def test_compare_example(capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    words, shown = shown_example(DOCS / "compare.md", "sroi compare")
    monkeypatch.chdir(ROOT)
    assert main(words[1:]) == 0
    missing = missing_lines(shown, capsys.readouterr().out)
    assert not missing, (
        "docs/compare.md shows lines `sroi compare` no longer prints:\n" + "\n".join(missing)
    )


def test_replicate_session(capsys: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    words, shown = shown_example(DOCS / "replicate.md", "sroi replicate")
    assert words == ["sroi", "replicate"]
    # An answer line is "> ANSWER", or ">" alone for a question skipped.
    typed = [line[2:] for line in shown if line.startswith("> ") or line == ">"]
    assert typed, "docs/replicate.md: the session shows no answers"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", EchoingTerminal("\n".join(typed) + "\n"))
    assert main(words[1:]) == 0
    missing = missing_lines(shown, capsys.readouterr().out)
    assert not missing, "docs/replicate.md shows lines the session no longer prints:\n" + (
        "\n".join(missing)
    )


def test_replicate_worked_example(
    capsys: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The recorded counts of docs/replicate.md give the results it shows."""
    text = (DOCS / "replicate.md").read_text(encoding="utf-8")
    scripts = [b.split("```", 1)[0] for b in text.split("```sh\n")[1:]]
    recorded = [b for b in scripts if "--referrals-total" in b]
    assert len(recorded) == 1, "docs/replicate.md: expected one example with recorded counts"
    words = shlex.split(recorded[0].replace("\\\n", " "))
    assert words[:2] == ["sroi", "replicate"]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main([*words[1:], "--draws", "0"]) == 0
    capsys.readouterr()
    run_words, shown = shown_example(DOCS / "replicate.md", "sroi run riverside.yaml")
    assert main(run_words[1:]) == 0
    missing = missing_lines(shown, capsys.readouterr().out)
    assert not missing, "docs/replicate.md shows lines `sroi run` no longer prints:\n" + (
        "\n".join(missing)
    )


def test_methodology_base_case_and_mean(sites: sroi.Results) -> None:
    text = " ".join((DOCS / "methodology.md").read_text(encoding="utf-8").split())
    m = re.search(
        r"the Oxford base-case SROI ratio is (\d+\.\d\d), "
        r"while the Monte Carlo mean is (\d+\.\d\d)",
        text,
    )
    assert m, "docs/methodology.md no longer quotes Oxford's base case and mean"
    assert m[1] == f"{sites.base_value('sroi_ratio', 'oxford'):.2f}"
    assert m[2] == f"{sites.metric('sroi_ratio', 'oxford').mean():.2f}"


def test_readme_api_comments(sites: sroi.Results) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    p = re.search(r"# P\(SROI > 1\) for Oxford: (\d\.\d\d)", readme)
    base = re.search(r"# base case only: (\d+\.\d\d)", readme)
    expected = re.search(r"# the tables' \"expected\", value / cost: (\d+\.\d\d)", readme)
    per_draw = re.search(
        r"Oxford's social return: (\d+\.\d\d), against\s+the expected (\d+\.\d\d)", readme
    )
    assert p and base and expected and per_draw, "README lost its API example comments"
    ratio = sites.metric("sroi_ratio", "oxford")
    assert expected[1] == per_draw[2] == f"{sites.expected('sroi_ratio', 'oxford'):.2f}"
    assert per_draw[1] == f"{ratio.mean():.2f}"
    assert p[1] == f"{(ratio > 1).mean():.2f}"
    oxford = sroi.load_scenario(ROOT / SITES / "oxford.yaml")
    assert base[1] == f"{sroi.run(oxford, draws=0).base_value('sroi_ratio'):.2f}"


def test_reading_the_report_numbers(sites: sroi.Results) -> None:
    text = " ".join((DOCS / "reading-the-report.md").read_text(encoding="utf-8").split())
    summary = sites.summaries()

    def interval(metric: str, fmt: str) -> str:
        s = summary[metric]
        return f"{format(s['p5'], fmt)} to {format(s['p95'], fmt)}"

    assert f"(£{interval('unit_cost', ',.0f').replace(' to ', ' to £')})" in text, (
        "docs/reading-the-report.md: the programme's unit cost interval has changed"
    )
    h = sites.headline()
    quoted_ratio = (
        f"£{h.ratio.expected:.2f} of value per £1** (median {h.ratio.median:.2f}, 90% of "
        f"draws {interval('sroi_ratio', '.2f')})"
    )
    assert quoted_ratio in text, (
        f"docs/reading-the-report.md: the programme's expected SROI ratio, median and interval "
        f"have changed; it should say {quoted_ratio}"
    )
    assert f"would be {h.ratio.modal:.2f}" in text, "the base case (modal inputs) has changed"

    def pct(scenario: str) -> int:
        return round(100 * sites.probabilities(scenario)["prob_sroi_above_1"])

    others = sorted(pct(s) for s in ("hackney", "oxford", "swaffham"))
    quoted = (
        f"{pct('west_mansfield')}% for West Mansfield, {others[0]} to {others[-1]}% for the "
        f"other sites, and {pct('programme')}% for the programme"
    )
    assert quoted in text, f"docs/reading-the-report.md should say: {quoted}"


def test_decisions_by_perspective_numbers(sites: sroi.Results) -> None:
    """docs/decisions-by-perspective.md works on the bundled programme at seed 0."""
    text = " ".join((DOCS / "decisions-by-perspective.md").read_text(encoding="utf-8").split())
    s = sites.summaries()

    def draws(name: str) -> Any:
        return sites.metric(name, "programme")

    cash = draws("cash_cost_pv")
    for label, metric in [
        ("Social", "sroi_ratio"),
        ("Public-sector", "public_roi"),
        ("Cashable", "cashable_roi"),
    ]:
        row = (
            f"| {label} (`{metric}`) | **{sites.expected(metric, 'programme'):.2f}** | "
            f"{s[metric]['p50']:.2f} | {s[metric]['p5']:.2f} to {s[metric]['p95']:.2f} | "
            f"{(draws(metric) > 1).mean():.0%} | {sites.base_value(metric, 'programme'):.2f} |"
        )
        assert row in text, f"the table of three returns should have: {row}"
    base = sites.base_value("sroi_ratio", "programme")
    assert f"only {(draws('sroi_ratio') >= base).mean():.0%} of the draws reach {base:.2f}" in text
    npv = s["npv"]
    assert (
        f"**£{npv['mean']:,.0f}** (90% of draws: £{npv['p5']:,.0f} to £{npv['p95']:,.0f})" in text
    )
    public_net = (draws("public_value_pv") - cash).mean()
    assert f"Its expected net position is **−£{-public_net:,.0f}**" in text
    for label, payer in [
        ("NHS", "nhs"),
        ("Local authority", "local_authority"),
        ("Central government", "central_government"),
    ]:
        value = draws(f"value_pv_by_payer.{payer}")
        row = (
            f"| {label} | {value.mean() / cash.mean():.2f} | −{-(value - cash).mean():,.0f} | "
            f"{(value > cash).mean():.0%} |"
        )
        assert row in text, f"the table of payers should have: {row}"
    cashable = (
        f"(£{draws('value_pv_cashable').mean():,.0f} of present value "
        f"against £{cash.mean():,.0f} of cash cost)"
    )
    assert cashable in text, f"the cashable section should say {cashable}"


def test_methodology_store_budget() -> None:
    """The per-draw cost of stored draws, and how many of the bundled sites'
    draws fit the budget before a run keeps every k-th one."""
    text = " ".join((DOCS / "methodology.md").read_text(encoding="utf-8").split())
    m = re.search(
        r"× \((\d+) metrics \+ H\)` per draw.*?For the four bundled sites \(H = (\d+) years\) "
        r"that is about ([\d,]+) draws",
        text,
    )
    assert m, "docs/methodology.md no longer says how many draws are stored in full"
    assert int(m[1]) == len(flow_metric_names())
    plan = RunPlan.build([sroi.load_scenario(f) for f in scenario_files([str(ROOT / SITES)])], 0)
    assert int(m[2]) == plan.horizon
    fits = STORE_BUDGET_BYTES // (5 * 8 * (len(flow_metric_names()) + plan.horizon))
    assert abs(int(m[3].replace(",", "")) - fits) <= 0.05 * fits, f"{fits:,} draws fit"


def test_scenario_evidence_after_retiming() -> None:
    """The "after" columns of docs/scenario-evidence.md's table of the re-timing
    are today's base case and P(payback year <= 4) at seed 0, 10,000 draws."""
    text = (DOCS / "scenario-evidence.md").read_text(encoding="utf-8")
    rows = {
        "West Mansfield": "west_mansfield",
        "Oxford": "oxford",
        "Swaffham": "swaffham",
        "Hackney": "hackney",
        "Programme (four pilots)": "programme",
        "New area (template)": "new_area",
    }
    results = sroi.run(
        [ROOT / SITES, ROOT / "scenarios" / "replication" / "new_area.yaml"], draws=10_000, seed=0
    )
    pilots = sroi.run(ROOT / SITES, draws=10_000, seed=0)
    for label, sid in rows.items():
        r = pilots if sid == "programme" else results
        found = re.search(rf"^ *\| {re.escape(label)} \|(.*)\|$", text, flags=re.M)
        assert found, f"docs/scenario-evidence.md lost its row for {label}"
        cells = [c.strip() for c in found[1].split("|")]
        after = [cells[1], cells[3], cells[5], cells[7], cells[9]]
        assert after == [
            f"£{r.base_value('value_pv', sid):,.0f}",
            f"{r.base_value('sroi_ratio', sid):.2f}",
            f"{r.base_value('public_roi', sid):.2f}",
            f"{r.base_value('payback_year', sid):.0f}",
            f"{(r.metric('payback_year', sid) <= 4).mean():.0%}",
        ], label
