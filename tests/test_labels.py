"""Readable names for a scenario's values: a value's own ``label`` first,
else a name built from its field and its outcome or cost line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import strategies
from hypothesis import given

import sroi
from sroi.scenario.discover import scenario_files
from sroi.scenario.labels import FIELD_LABELS, default_label, field_description, value_label
from sroi.scenario.model import scenario_values, value_at

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = [
    *scenario_files([str(ROOT / "scenarios" / "family_action_pss")]),
    str(ROOT / "scenarios" / "replication" / "new_area.yaml"),
]
#: Code, not words: a dotted path or a snake_case id.
CODE = re.compile(r"[a-z]+\.[a-z_]+|\b[a-z]+_[a-z_]+\b")


def test_a_values_own_label_comes_first() -> None:
    s = sroi.load_scenario(ROOT / "scenarios" / "family_action_pss" / "oxford.yaml")
    assert s.effect.relative_risk.label == "Relative risk of depression with befriending"
    assert value_label(s, "effect.relative_risk") == s.effect.relative_risk.label
    path = "outcomes.pd_quality_of_life_child.probability"
    assert path in scenario_values(s)
    assert value_label(s, path) == "Share of lifetime quality-of-life cost avoided (child)"


@pytest.mark.parametrize("file", BUNDLED, ids=lambda f: Path(f).stem)
def test_every_bundled_value_has_a_name_in_words(file: str) -> None:
    s = sroi.load_scenario(file)
    names = {path: value_label(s, path) for path in scenario_values(s)}
    for path, name in names.items():
        assert name and not CODE.search(name), f"{path}: {name!r}"


@given(data=strategies.scenario_data())
def test_value_at_finds_exactly_the_values_the_walk_lists(data: strategies.Data) -> None:
    s = strategies.build(data)
    values = scenario_values(s)
    for path, value in values.items():
        assert value_at(s, path) is value, path
    # A path that stops short of a value, runs past one, or indexes past a
    # list's end finds nothing.
    for path in values:
        parent = path.rsplit(".", 1)[0]
        if parent not in values:
            assert value_at(s, parent) is None, parent
        assert value_at(s, f"{path}.value") is None, path
    assert value_at(s, f"delivery.ramp[{len(s.delivery.ramp or [])}]") is None
    assert value_at(s, "outcomes.no_such_outcome.proxy") is None


def test_default_names_use_the_outcome_and_the_cost_line() -> None:
    s = sroi.load_scenario(ROOT / "scenarios" / "family_action_pss" / "hackney.yaml")
    line = s.costs.lines["premises"]
    assert default_label("costs.lines.premises.amount", s) == f"{line.label}: cost per year"
    outcome = s.outcomes["volunteer_wellbeing"]
    assert default_label("outcomes.volunteer_wellbeing.proxy", s) == (
        f"{outcome.label}: value per volunteer-year"
    )
    assert default_label("outcomes.volunteer_wellbeing.deadweight", s).endswith(": deadweight")
    # Without the scenario, the ids are put in words.
    assert default_label("costs.lines.it_and_monitoring.amount") == "It and monitoring: cost"


def test_a_field_without_a_short_name_reads_its_description() -> None:
    assert "delivery.years" in FIELD_LABELS  # the table names the usual fields
    assert field_description("volunteers.hours_per_user") == "Befriending contact time per user"
    assert field_description("no.such.field") == ""
    assert default_label("no_such_field") == "No such field"


def test_a_label_must_be_text(tmp_path: Path) -> None:
    base = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        f"extends: {base}\nid: bad\nname: Bad\n"
        "effect:\n  relative_risk: {pert: [0.25, 0.5, 1.0], label: 3}\n",
        encoding="utf-8",
    )
    with pytest.raises(sroi.ScenarioError) as caught:
        sroi.load_scenario(bad)
    assert "effect.relative_risk.label" in str(caught.value)
    assert "bad.yaml" in str(caught.value)
