"""Arguments that were taken as a silent guess, or printed raw, are refused
with a message that names the option and what it expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from sroi.cli.main import main
from sroi.replication.answers import parse_area

ROOT = Path(__file__).resolve().parents[1]
OXFORD = str(ROOT / "scenarios" / "family_action_pss" / "oxford.yaml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # '-' reads as standard output to many tools; a file named '-' was written.
        (
            ["report", OXFORD, "-o", "-"],
            "cannot write -o '-': sroi writes files, not standard output",
        ),
        (
            ["report", OXFORD, "-o", "r.html", "--xlsx", "-"],
            "cannot write --xlsx '-': sroi writes files",
        ),
        # -o r.xlsx was refused; --xlsx r.csv wrote a workbook named .csv.
        (["report", OXFORD, "-o", "r.html", "--xlsx", "r.csv"], "--xlsx r.csv: --xlsx writes"),
        # ESC and BEL went raw into the page's <title> and <h1>.
        (
            ["report", OXFORD, "-o", "r.html", "--title", "a\x1b[31mb\x07"],
            "--title a\\x1b[31mb\\x07: expected one line of printable text; found the "
            "character U+001B (escape)",
        ),
        (
            [
                "sweep",
                OXFORD,
                "--design",
                str(ROOT / "scenarios" / "sweeps" / "designs.yaml"),
                "--out",
                "",
            ],
            "cannot write --out: the file name is empty",
        ),
        (
            ["replicate", "--area", "X", "--births", "3000", "--share-referred", "2%", "-o", "-"],
            "-: sroi replicate writes a scenario file, not standard output",
        ),
        (
            ["replicate", "--area", "X", "--id", "programme"],
            "--id 'programme' names the total of a run's scenarios in every result",
        ),
        (
            [
                "sweep",
                OXFORD,
                "--design",
                str(ROOT / "scenarios" / "sweeps" / "designs.yaml"),
                "--out",
                "-",
            ],
            "cannot write --out '-': sroi writes files, not standard output",
        ),
        # A 300-digit target, where every scenario number is within 1e12.
        (
            ["sensitivity", OXFORD, "--method", "breakeven", "--target-value", "1e300"],
            "--target-value: expected a number between -1e+12 and 1e+12",
        ),
    ],
)
def test_refused_before_anything_is_run_or_written(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    assert main([*args, "--draws", "0"] if args[0] == "report" else args) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_an_area_name_with_a_line_break_is_refused() -> None:
    """It was joined into one line ("New ham") without a word."""
    with pytest.raises(ValueError, match="on one line; found a line break"):
        parse_area("New\nham")
    assert parse_area("  Ynys   Môn \n") == "Ynys Môn"  # spaces and the typed Enter are fine


@pytest.mark.parametrize(
    ("args", "usage", "message"),
    [
        # A misspelt option was reported with the top-level usage and no hint.
        (
            ["replicate", "--refferals-per-year", "40", "--area", "X"],
            "usage: sroi replicate ",
            "sroi replicate: error: unrecognized arguments: --refferals-per-year 40 "
            "(did you mean --referrals-per-year?)\n",
        ),
        # A shortened option was taken for the one it begins, silently.
        (
            ["replicate", "--birth", "14000", "--area", "X"],
            "usage: sroi replicate ",
            "sroi replicate: error: unrecognized arguments: --birth 14000 "
            "(did you mean --births?)\n",
        ),
        (
            ["run", OXFORD, "--price=2019"],
            "usage: sroi run ",
            "sroi run: error: unrecognized arguments: --price=2019 (did you mean --price-year?)\n",
        ),
        (
            ["run", OXFORD, "--jsn", "--draw", "5"],
            "usage: sroi run ",
            "sroi run: error: unrecognized arguments: --jsn --draw 5 "
            "(did you mean --json for --jsn; --draws for --draw?)\n",
        ),
        # Nothing close: no guess.
        (
            ["run", OXFORD, "--zzz"],
            "usage: sroi run ",
            "sroi run: error: unrecognized arguments: --zzz\n",
        ),
        # Before the subcommand, an unknown option is the top level's.
        (
            ["--bogus", "run", OXFORD],
            "usage: sroi [-h]",
            "sroi: error: unrecognized arguments: --bogus\n",
        ),
    ],
)
def test_an_unknown_option_is_reported_by_its_command_with_the_option_meant(
    args: list[str], usage: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(usage)
    assert err.endswith(message)


def test_help_and_version_still_work(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--help"], ["replicate", "--help"], ["--version"]):
        with pytest.raises(SystemExit) as exit_:
            main(args)
        assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "usage: sroi [-h]" in out and "usage: sroi replicate [-h]" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", OXFORD, "--draws", "10k"], "found '10k' (did you mean 10000?)"),
        (
            ["sensitivity", OXFORD, "--method", "breakeven", "--target-value", "£5k"],
            "found '£5k'; write it without the £ sign and the k: did you mean 5000?",
        ),
    ],
)
def test_a_number_with_a_k_or_a_currency_sign_is_refused_with_what_to_write(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(args)
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # 31 digits were refused as 1e30 but taken as digits; the web page
        # takes 30, so such a seed could not be reproduced there.
        (["run", OXFORD, "--seed", "1" * 31], "--seed: expected a number of at most 30 digits"),
        (["run", OXFORD, "--seed", "1" * 30, "--draws", "0"], None),
        # "between 0 and 1" for 1 read as if the ends were allowed.
        (["run", OXFORD, "--precision", "1"], "expected a number above 0 and below 1"),
    ],
)
def test_an_option_out_of_range_is_refused_by_the_parser(
    args: list[str], message: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    if message is None:
        assert main(args) == 0
        return
    with pytest.raises(SystemExit) as stopped:
        main(args)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err
