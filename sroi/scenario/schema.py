"""JSON Schema of the scenario format, for editors (yaml-language-server).

A scenario file whose first line is ::

    # yaml-language-server: $schema=../scenario.schema.json

gets completion, hover text and inline errors in editors that use
yaml-language-server (VS Code's YAML extension, Neovim, Helix, ...).  The
schema is generated from the pydantic models and shaped for those editors:

* draft-07, the draft yaml-language-server supports fully: definitions live
  under ``definitions`` and a ``$ref`` never has sibling keys (draft-07
  ignores them), so every field keeps its own description;
* no key is required: a file that ``extends`` a parent states only what
  differs, and ``sroi validate`` checks the merged scenario;
* every key may be ``null`` ("not set", which removes a parent's entry);
* every mapping is closed (``additionalProperties: false``), so a misspelt
  key is flagged as you type, including ids that are not snake_case.

The schema checks keys, types, enum values and the bounds of bare numbers;
``sroi validate`` remains the full check (supports of distributions, sources,
ramp length, correlations).
"""

from __future__ import annotations

import json
from typing import Any

from sroi.scenario.model import Scenario

#: Where the committed copy of the schema lives, relative to the repository root
#: (beside the bundled scenarios; installed with them, see :mod:`sroi.scenario.bundled`).
SCHEMA_PATH = "scenarios/scenario.schema.json"

#: The JSON Schema draft the schema is written in.
DRAFT = "http://json-schema.org/draft-07/schema#"

#: Models whose keys a child file may state in part (sections and named items).
_PARTIAL = (
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

#: Keys that describe a property, or constrain numbers only: they stay on the
#: property when its schema is widened to accept null.
_OUTER_KEYS = ("title", "description", "default", "minimum", "maximum", "multipleOf")
_NUMBER_KEYS = ("minimum", "maximum", "multipleOf")
_NULL = {"type": "null"}


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of a scenario file, for editors."""
    schema = Scenario.model_json_schema(mode="validation", ref_template="#/definitions/{model}")
    definitions: dict[str, Any] = schema.pop("$defs")
    for name in _PARTIAL:
        definitions[name].pop("required", None)
    schema.pop("required", None)
    for node in (schema, *definitions.values()):
        _each_object(node)
    _lift_refs(schema)
    _lift_refs(definitions)
    return {
        "$schema": DRAFT,
        "title": "sroi scenario (schema_version 1)",
        **schema,
        "definitions": definitions,
    }


def scenario_schema_json() -> str:
    """:func:`scenario_schema` as stable, indented JSON text (with a final newline)."""
    return json.dumps(scenario_schema(), indent=2, sort_keys=True) + "\n"


def _each_object(node: Any) -> None:
    """Make every property of every object schema below ``node`` nullable, and
    close mappings keyed by id (``patternProperties``)."""
    if isinstance(node, list):
        for item in node:
            _each_object(item)
        return
    if not isinstance(node, dict):
        return
    for key in ("properties", "patternProperties"):
        if key in node:
            node[key] = {k: _nullable(v) for k, v in node[key].items()}
    if "patternProperties" in node:
        node.setdefault("additionalProperties", False)
    for key, child in node.items():
        if key not in ("properties", "patternProperties"):
            _each_object(child)
        else:
            for prop in child.values():
                _each_object(prop)


def _accepts_null(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "null" or _NULL in schema.get("anyOf", [])


def _nullable(prop: dict[str, Any]) -> dict[str, Any]:
    """``prop`` widened to accept null, keeping its description at the top."""
    if "anyOf" in prop:
        out = dict(prop)
        if not _accepts_null(prop):
            out["anyOf"] = [*prop["anyOf"], _NULL]
    elif prop.get("type") == "null":
        return prop
    else:
        core = {k: v for k, v in prop.items() if k not in _OUTER_KEYS}
        out = {k: v for k, v in prop.items() if k in _OUTER_KEYS}
        out["anyOf"] = [core, _NULL]
    # Bounds on a bare number read best beside the description; they
    # constrain numbers only, so lifting them out of the branch changes nothing.
    for branch in out["anyOf"]:
        for k in _NUMBER_KEYS:
            if k in branch:
                out[k] = branch.pop(k)
    return out


def _lift_refs(node: Any) -> None:
    """Draft-07 ignores the siblings of ``$ref``: move such a ``$ref`` into ``allOf``."""
    if isinstance(node, list):
        for item in node:
            _lift_refs(item)
        return
    if not isinstance(node, dict):
        return
    if "$ref" in node and len(node) > 1:
        node["allOf"] = [{"$ref": node.pop("$ref")}, *node.get("allOf", [])]
    for child in node.values():
        _lift_refs(child)
