"""Input values on the workbook: their defined names, labels and units.

An input at dotted path ``costs.coordinator.salary`` is the cell named
``costs.coordinator.salary`` on its site's sheet (list entries such as
``delivery.ramp[1]`` become ``delivery.ramp_1``), so formulas read like the
scenario file.  Labels are :func:`~sroi.scenario.labels.value_label`'s, as
in every other view; units come from the scenario models' field
descriptions, the one place they are written.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from sroi.scenario.labels import value_label
from sroi.scenario.model import Scenario

#: Suffix of the name of a money value as written, before price conversion.
AS_WRITTEN = ".as_written"


def defined_name(path: str) -> str:
    """The workbook name of the input at ``path``.

    >>> defined_name("delivery.ramp[1]"), defined_name("effect.relative_risk")
    ('delivery.ramp_1', 'effect.relative_risk')
    """
    return re.sub(r"\[(\d+)\]", r"_\1", path)


def _field(scenario: Scenario, path: str) -> tuple[str, Any]:
    """Name and pydantic field of the last part of ``path``."""
    node: Any = scenario
    field: Any = None
    name = ""
    for part in re.sub(r"\[\d+\]", "", path).split("."):
        if isinstance(node, dict):
            node = node[part]
            continue
        assert isinstance(node, BaseModel)
        field = type(node).model_fields[part]
        name = part
        node = getattr(node, part)
    return name, field


def describe(scenario: Scenario, path: str) -> tuple[str, str]:
    """Readable name and unit of the input at ``path``, the currency code filled in.

    >>> import sroi
    >>> s = sroi.load_scenario("scenarios/family_action_pss/oxford.yaml")
    >>> describe(s, "delivery.referrals_per_year")
    ('Referrals a year', 'women/year')
    >>> describe(s, "costs.coordinator.salary")
    ('Co-ordinator salary', 'GBP/year')
    """
    _, field = _field(scenario, path)
    found = re.search(r"\[(?P<unit>[^\],]*)", str(field.description or ""))
    unit = found["unit"] if found else ""
    return value_label(scenario, path), unit.replace("currency", scenario.currency)
