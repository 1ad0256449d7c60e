"""A file that is not a mapping at the top level is refused without quoting
what it holds (docs/security.md): a scenario, a replication template, a
sweep's grid or designs file named on the command line may be any file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sroi.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
SECRET = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
SCENARIO = "expected a mapping of scenario keys at the top level"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (SECRET, "text"),
        ("'secret'\n", "text"),
        ("12345\n", "a number"),
        ("true\n", "a true/false value"),
        ("~\n", "nothing (null)"),
        ("- secret\n", "a list"),
    ],
)
def test_validate_names_the_kind_not_the_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, found: str
) -> None:
    (tmp_path / "f.yaml").write_text(text, encoding="utf-8")
    assert main(["validate", str(tmp_path / "f.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [f"{tmp_path / 'f.yaml'}:1:1: (document): {SCENARIO}; found {found}"]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    try:
        code = main(args)
    except SystemExit as exc:
        code = exc.code  # type: ignore[assignment]
    out, err = capsys.readouterr()
    assert code == 2, out + err
    assert "root:x" not in out + err and "bash" not in out + err
    return err


def test_a_template_grid_or_designs_file_is_not_quoted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "scenarios" / "family_action_pss", tmp_path / "fap")
    (tmp_path / "passwd").write_text(SECRET, encoding="utf-8")
    answers = ["--area", "Newham", "--referrals-per-year", "40", "--volunteers", "12"]
    answers += ["--childrens-centre", "yes", "--management", "no", "--it-systems", "yes"]
    answers += ["--referral-network", "no", "--public-transport", "yes", "--draws", "0"]
    err = run(["replicate", "--template", "passwd", *answers, "-o", "x.yaml"], capsys)
    assert f"passwd:1:1: (document): {SCENARIO}; found text" in err, err
    sweep = ["sweep", "fap/oxford.yaml", "--draws", "0", "--out", "o.csv"]
    err = run([*sweep, "--grid", "passwd"], capsys)
    assert "passwd:1:1: (document): expected a YAML mapping with one top-level key, 'cases'" in err
    assert err.rstrip().endswith("; found text"), err
    err = run([*sweep, "--design", "passwd"], capsys)
    assert (
        "passwd:1:1: (document): expected a YAML mapping with one top-level key, 'designs'" in err
    )
    assert err.rstrip().endswith("; found text"), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fap", "passwd"]
