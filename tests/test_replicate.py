"""``sroi replicate``: answers become a valid, sourced scenario; bad answers
are asked again (interactive) or refused (flags)."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
import yaml

import sroi
from sroi.analysis import replicate as rep
from sroi.cli import replicate_cmd
from sroi.cli.main import main
from sroi.scenario.values import Value

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "scenarios" / "replication" / "new_area.yaml"

FLAGS = [
    "--area",
    "Newham",
    "--births",
    "4,800",
    "--share-referred",
    "1.8%",
    "--childrens-centre",
    "yes",
    "--management",
    "yes",
    "--it-systems",
    "no",
    "--referral-network",
    "yes",
    "--public-transport",
    "no",
]


class Terminal(io.StringIO):
    """Typed input that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def value_at(scenario: Any, path: str) -> Value:
    node = scenario
    for part in path.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    assert isinstance(node, Value), path
    return node


def replicate(*args: str) -> int:
    try:
        return main(["replicate", *args])
    except SystemExit as exc:  # argparse errors
        return exc.code if isinstance(exc.code, int) else 2


@pytest.fixture()
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal
    return tmp_path


def test_flags_write_a_valid_sourced_scenario(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = replicate(*FLAGS, "--draws", "60")
    out, err = capsys.readouterr()
    assert code == 0, err
    written = in_tmp / "newham.yaml"
    assert written.is_file()
    assert [p.name for p in in_tmp.iterdir()] == ["newham.yaml"]  # no temporary left
    scenario = sroi.load_scenario(written)
    assert scenario.id == "newham"
    for key, paths in rep.ANSWER_PATHS.items():
        for path in paths:
            value = value_at(scenario, path)
            assert value.source == rep.SOURCE, (key, path)
            assert value.evidence == "local_data", (key, path)
            assert value.note, (key, path)
    citation = scenario.sources[rep.SOURCE].citation
    assert "Newham commissioner via sroi replicate" in citation
    # Answers mapped onto the template's context-dependent lines.
    assert value_at(scenario, "delivery.referrals_per_year").central() == pytest.approx(86.4)
    assert value_at(scenario, "costs.lines.premises.amount").central() == 0
    assert value_at(scenario, "costs.lines.line_management.amount").central() == 0
    assert value_at(scenario, "costs.lines.clinical_supervision.amount").central() == 0
    assert value_at(scenario, "costs.lines.it_and_monitoring.amount").central() == 1000
    assert value_at(scenario, "costs.lines.referral_networks_and_promotion.amount").central() == 200
    assert value_at(scenario, "volunteers.expenses_per_hour").central() == 6
    # The comparison with the pilots is printed.
    assert "Newham (your proposal)" in out
    for site in ("Oxford", "Hackney", "Swaffham", "West Mansfield"):
        assert site in out


def test_extends_is_relative_to_the_output(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = in_tmp / "plans" / "2026" / "area.yaml"
    target.parent.mkdir(parents=True)
    assert replicate(*FLAGS, "-o", str(target), "--draws", "0") == 0
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert not Path(data["extends"]).is_absolute()
    assert (target.parent / data["extends"]).resolve() == TEMPLATE.resolve()
    assert "Wrote" in capsys.readouterr().out


def test_no_overwrite_without_force(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert replicate(*FLAGS, "--draws", "0") == 0
    first = (in_tmp / "newham.yaml").read_text(encoding="utf-8")
    other = [*FLAGS[:3], "5000", *FLAGS[4:]]
    assert replicate(*other, "--draws", "0") == 2
    assert "already exists" in capsys.readouterr().err
    assert (in_tmp / "newham.yaml").read_text(encoding="utf-8") == first
    assert replicate(*other, "--draws", "0", "--force") == 0
    assert (in_tmp / "newham.yaml").read_text(encoding="utf-8") != first


@pytest.mark.parametrize(
    ("flag", "bad", "message"),
    [
        ("--births", "-5", "above 0"),
        ("--births", "lots", "expected a number"),
        ("--share-referred", "15", "between 0 and 1"),
        ("--share-referred", "0", "above 0"),
        ("--childrens-centre", "maybe", "yes or no"),
        ("--area", "123", "area's name"),
    ],
)
def test_bad_flags_are_refused(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], flag: str, bad: str, message: str
) -> None:
    args = list(FLAGS)
    args[args.index(flag) + 1] = bad
    assert replicate(*args, "--draws", "0") == 2
    err = capsys.readouterr().err
    assert f"sroi replicate: error: {flag}: " in err and message in err
    assert list(in_tmp.iterdir()) == []


def test_missing_answers_without_a_terminal_are_an_error(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert replicate("--area", "Newham", "--births", "4800", "--draws", "0") == 2
    err = capsys.readouterr().err
    assert "missing answers: --share-referred, --childrens-centre" in err
    assert "--public-transport" in err and "--area" not in err.split("missing answers:")[1]
    assert list(in_tmp.iterdir()) == []


def test_interactive_mode_asks_again_after_a_bad_answer(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = "\n".join(
        [
            "Stoke-on-Trent",
            "-5",  # refused
            "3,100",
            "15",  # refused: a share, not a percentage
            "2%",
            "maybe",  # refused
            "y",
            "no",
            "YES",
            "n",
            "yes",
        ]
    )
    monkeypatch.setattr("sys.stdin", Terminal(typed + "\n"))
    assert replicate("--draws", "0") == 0
    out = capsys.readouterr().out
    assert out.count("Sorry:") == 3
    assert out.count("How many births a year") == 2
    assert "did you mean 15%?" in out
    scenario = sroi.load_scenario(in_tmp / "stoke_on_trent.yaml")
    assert value_at(scenario, "delivery.referrals_per_year").central() == pytest.approx(62)
    assert value_at(scenario, "costs.lines.premises.amount").central() == 0
    assert value_at(scenario, "costs.lines.line_management.amount").central() == 3500


def test_interactive_mode_asks_only_what_flags_left_out() -> None:
    stdin, stdout = Terminal("no\nyes\n"), io.StringIO()
    answers = replicate_cmd.ask(["it_systems", "public_transport"], stdin, stdout)
    assert answers == {"it_systems": False, "public_transport": True}
    assert stdout.getvalue().count("> ") == 2


def test_interactive_input_ending_early_is_an_error(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", Terminal("Newham\n4800\n"))
    assert replicate("--draws", "0") == 2
    assert "--share-referred" in capsys.readouterr().err
    assert list(in_tmp.iterdir()) == []


def test_area_named_like_a_pilot_gets_its_own_id(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = list(FLAGS)
    args[1] = "Hackney"
    assert replicate(*args, "--draws", "30") == 0
    assert sroi.load_scenario(in_tmp / "hackney_proposal.yaml").id == "hackney_proposal"
    assert "Hackney (your proposal)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "share"), [("0.018", 0.018), ("1.8%", 0.018), ("15%", 0.15), (" 1 ", 1.0)]
)
def test_parse_share(text: str, share: float) -> None:
    assert rep.parse_share(text) == pytest.approx(share)


def test_write_scenario_directly(tmp_path: Path) -> None:
    answers = rep.Answers(
        "Little Snoring", 900, 0.02, False, False, True, False, True, datetime.date(2026, 1, 5)
    )
    out = tmp_path / "ls.yaml"
    scenario = rep.write_scenario(answers, out)
    assert scenario.id == "little_snoring"
    text = out.read_text(encoding="utf-8")
    assert "Answers given by Little Snoring commissioner via sroi replicate, 2026-01-05." in text
    assert "yaml-language-server: $schema=" in text
    with pytest.raises(FileExistsError):
        rep.write_scenario(answers, out)
    # Small caseload: the co-ordinator post keeps the template's size.
    assert "coordinator" not in yaml.safe_load(text)["costs"]
