"""The README's sample of `sroi run` output is what the command prints, and
its Python examples run."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest

from sroi.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


def test_readme_sample_output_is_current(capsys, monkeypatch) -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### What `sroi run` prints") :]
    sample = re.search(r"```text\n(.*?)```", section, re.S)
    assert sample, "README lost its sample output"
    monkeypatch.chdir(ROOT)
    assert main(["run", "scenarios/family_action_pss"]) == 0
    printed = capsys.readouterr().out.splitlines()
    for line in sample.group(1).splitlines():
        if line and line != "...":
            assert line in printed, (
                f"README line no longer printed by `sroi run scenarios/family_action_pss`:\n"
                f"{line}\nRegenerate the sample from the command's output."
            )


def test_readme_finds_the_bundled_scenarios_as_it_says() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    found = re.search(r"in Python `(from sroi\.scenario import [^`]+)` then `([^`]+)`", readme)
    assert found, "README lost its example of finding the bundled scenarios from Python"
    names: dict[str, object] = {}
    exec(f"import sroi\n{found[1]}\npath = {found[2]}", names)
    assert (Path(names["path"]) / "oxford.yaml").is_file()  # type: ignore[arg-type]


@pytest.mark.slow
def test_readme_python_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ```python block of the README, in order, in one namespace, from a
    folder holding a copy of the bundled scenarios (the charts are saved there)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^( *)```python\n(.*?)^\1```$", readme, flags=re.M | re.S)
    assert len(blocks) >= 2, "README lost its Python examples"
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    names: dict[str, object] = {}
    for _, code in blocks:
        exec(textwrap.dedent(code), names)
    assert (tmp_path / "charts.png").is_file()
