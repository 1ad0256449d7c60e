"""The editor schema: committed copy up to date, well formed, and agreeing with
the scenario files (``scenarios/scenario.schema.json``, ``sroi schema``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from sroi.scenario.discover import is_sweep_input
from sroi.scenario.schema import SCHEMA_PATH, scenario_schema, scenario_schema_json
from sroi.scenario.yamlio import parse_yaml, read_yaml

ROOT = Path(__file__).resolve().parents[1]
# Sweep inputs (grids, designs) live beside scenarios but are not scenarios.
SCENARIO_FILES = sorted(p for p in (ROOT / "scenarios").rglob("*.yaml") if not is_sweep_input(p))
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)\s*$")

REGENERATE = "regenerate it with `sroi schema > scenarios/scenario.schema.json`"


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = scenario_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def _errors(validator: Any, text: str) -> list[str]:
    doc = parse_yaml(text, "<test>")
    assert not doc.problems, doc.problems
    return [e.message for e in validator.iter_errors(doc.data)]


def _walk(node: Any, path: str = "#") -> Any:
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}/{i}")


def test_committed_schema_is_current() -> None:
    committed = ROOT / SCHEMA_PATH
    assert committed.is_file(), f"{SCHEMA_PATH} is missing; {REGENERATE}"
    assert committed.read_text(encoding="utf-8") == scenario_schema_json(), (
        f"{SCHEMA_PATH} differs from the scenario models; {REGENERATE}"
    )


def test_schema_is_draft7_without_ref_siblings() -> None:
    schema = scenario_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in schema
    for path, node in _walk(schema):
        if isinstance(node, dict) and "$ref" in node:
            assert set(node) == {"$ref"}, f"{path}: draft-07 ignores keys beside $ref"
            target = node["$ref"].removeprefix("#/definitions/")
            assert target in schema["definitions"], f"{path}: dangling {node['$ref']}"


def test_every_mapping_closed_and_every_key_described() -> None:
    for path, node in _walk(scenario_schema()):
        if not isinstance(node, dict):
            continue
        if node.get("type") == "object" or "properties" in node:
            assert node.get("additionalProperties") is False, f"{path} is open"
        for name, prop in node.get("properties", {}).items():
            assert prop.get("description"), f"{path}/properties/{name} has no description"


def test_enums_are_listed() -> None:
    text = scenario_schema_json()
    for word in ("case_averted", "volunteer_recruited", "central_government", "economic"):
        assert f'"{word}"' in text
    for word in ("expert_judgement", "green_book_health", "end_of_year"):
        assert f'"{word}"' in text


def test_number_or_mapping_accepted(validator: Any) -> None:
    for uptake in ("0.6", "{value: 0.6}", "{pert: [0.4, 0.6, 0.8], source: x}", "null"):
        assert _errors(validator, f"delivery: {{uptake: {uptake}}}") == [], uptake
    child = "extends: base.yaml\nid: child\ncosts: {coordinator: {salary: 30000}}\n"
    assert _errors(validator, child) == [], "a child states only what differs"
    assert _errors(validator, "outcomes: {old_outcome: null}") == [], "null removes an item"


@pytest.mark.parametrize(
    "text",
    [
        "delivery: {uptake: 1.5}",
        "delivery: {years: 2.5}",
        "volunteers: {pool: -3}",
        "volunteers: {traning_hours: 5}",
        "delivery: {uptake: {pert: [0.1, 0.2]}}",
        "delivery: {uptake: {bogus: 1}}",
        "delivery: {uptake: '0.6'}",
        "delivery: {uptake: true}",
        "outcomes: {x: {payer: nhss}}",
        "outcomes: {Bad-Id: {label: x}}",
        "costs: {lines: {x: {per: month}}}",
        "costs: {optimism_bias: 2.5}",
        "discounting: {schedule: greenbook}",
        "schema_version: 2",
        "nonsense: 1",
    ],
)
def test_common_mistakes_flagged(validator: Any, text: str) -> None:
    assert _errors(validator, text), f"the schema accepts {text!r}"


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_scenario_file_matches_schema(validator: Any, path: Path) -> None:
    doc = read_yaml(path)
    assert not doc.problems, doc.problems
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc.data)]
    assert errors == [], f"{path.relative_to(ROOT)} does not match the editor schema"


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_scenario_file_names_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[:1]
    match = SCHEMA_LINE.match(first[0]) if first else None
    assert match, (
        f"{path.relative_to(ROOT)}: the first line should be "
        f"'# yaml-language-server: $schema=<path to {SCHEMA_PATH}, relative to the file>'"
    )
    target = (path.parent / match["path"]).resolve()
    assert target.is_file(), f"{path.relative_to(ROOT)}: {match['path']} does not exist"
    assert target == (ROOT / SCHEMA_PATH).resolve(), (
        f"{path.relative_to(ROOT)}: {match['path']} is not {SCHEMA_PATH}"
    )
