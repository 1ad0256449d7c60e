"""Parsed YAML documents are kept and reused, never shared.

A base that several scenarios extend is parsed once per run; every caller gets
a copy it may change; an edited file is parsed again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sroi.cli.common import load_all
from sroi.scenario import yamlio
from sroi.scenario.loader import load_scenario
from sroi.scenario.problems import Mark

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "scenarios" / "family_action_pss"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    yamlio._PARSED.clear()


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = yamlio._parse

    def counting(text: str, file: str, *args: Any) -> yamlio.Document:
        parsed.append(Path(file).name)
        return real(text, file, *args)

    monkeypatch.setattr(yamlio, "_parse", counting)
    return parsed


def test_a_shared_base_is_parsed_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    parsed = _count_parses(monkeypatch)
    scenarios, ok = load_all([str(SITES)])
    assert ok and len(scenarios) == 4
    assert parsed.count("_common.yaml") == 1
    assert sorted(parsed) == sorted(
        ["_common.yaml", "hackney.yaml", "oxford.yaml", "swaffham.yaml", "west_mansfield.yaml"]
    )


def test_reused_documents_give_the_same_scenarios() -> None:
    first = load_scenario(SITES / "oxford.yaml")
    assert yamlio._PARSED  # the second load reads the kept documents
    assert load_scenario(SITES / "oxford.yaml") == first


def test_each_caller_gets_its_own_copy() -> None:
    text = "a:\n  b: [1, {c: 2}]\n  d: null\n"
    one = yamlio.parse_yaml(text, "x.yaml")
    one.data["a"]["b"][1]["c"] = 99
    one.data["a"]["b"].append(3)
    del one.data["a"]["d"]
    one.values.clear()
    two = yamlio.parse_yaml(text, "x.yaml")
    assert two.data == {"a": {"b": [1, {"c": 2}], "d": None}}
    assert two.values[("a", "b", 1, "c")] == Mark("x.yaml", 2, 14)
    assert two.problems == []


def test_the_name_shown_is_part_of_the_key() -> None:
    text = "a: 1\n"
    assert yamlio.parse_yaml(text, "one.yaml").values[("a",)].file == "one.yaml"
    assert yamlio.parse_yaml(text, "two.yaml").values[("a",)].file == "two.yaml"


def test_problems_are_kept_too() -> None:
    text = "a: 1\na: 2\n"
    for _ in range(2):
        doc = yamlio.parse_yaml(text, "dup.yaml")
        assert [p.message for p in doc.problems] == [
            "duplicate key 'a'; it is already set at line 1"
        ]
        doc.problems.clear()  # the caller's copy only


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    # Same size, same second: only the text tells the two versions apart.
    file = tmp_path / "x.yaml"
    file.write_text("a: 1\n")
    assert yamlio.read_yaml(file).data == {"a": 1}
    file.write_text("a: 2\n")
    assert yamlio.read_yaml(file).data == {"a": 2}


def test_only_the_latest_documents_are_kept() -> None:
    for i in range(yamlio.PARSED_KEPT + 3):
        yamlio.parse_yaml(f"a: {i}\n", "x.yaml")
    assert len(yamlio._PARSED) == yamlio.PARSED_KEPT
    large = yamlio.SCENARIO_LARGE
    assert ("x.yaml", f"a: {yamlio.PARSED_KEPT + 2}\n", None, large) in yamlio._PARSED
    assert ("x.yaml", "a: 0\n", None, large) not in yamlio._PARSED
