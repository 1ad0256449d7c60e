"""The README's sample of `sroi run` output is what the command prints."""

from __future__ import annotations

import re
from pathlib import Path

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
