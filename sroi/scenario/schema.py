"""JSON Schema of the scenario format, for editors (yaml-language-server)."""

from __future__ import annotations

import json
from typing import Any

from sroi.scenario.model import Scenario

#: Where the committed copy of the schema lives, relative to the repository root.
SCHEMA_PATH = "docs/scenario.schema.json"


_SECTIONS = (
    "Adjustments",
    "Coordinator",
    "CostLine",
    "Costs",
    "Delivery",
    "Discounting",
    "Effect",
    "Outcome",
    "Site",
    "Source",
    "Volunteers",
)


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "sroi scenario (schema_version 1)"
    # A child file that `extends` a parent states only what differs, so the
    # editor schema checks keys and types but not completeness: `sroi validate`
    # checks the merged scenario for required keys.
    for name in _SECTIONS:
        schema["$defs"].get(name, {}).pop("required", None)
    schema.pop("required", None)
    return schema


def scenario_schema_json() -> str:
    """:func:`scenario_schema` as stable, indented JSON text (with a final newline)."""
    return json.dumps(scenario_schema(), indent=2, sort_keys=True) + "\n"
