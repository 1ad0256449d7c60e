"""Input values on the workbook: their defined names, labels and units.

An input at dotted path ``costs.coordinator.salary`` is the cell named
``costs.coordinator.salary`` on its site's sheet (list entries such as
``delivery.ramp[1]`` become ``delivery.ramp_1``), so formulas read like the
scenario file.  Labels are :func:`~sroi.scenario.labels.value_label`'s and
units :func:`~sroi.scenario.labels.value_unit`'s, as in every other view.
"""

from __future__ import annotations

import re

from sroi.scenario.labels import value_label, value_unit
from sroi.scenario.model import Scenario

#: Suffix of the name of a money value as written, before price conversion.
AS_WRITTEN = ".as_written"


def defined_name(path: str) -> str:
    """The workbook name of the input at ``path``.

    >>> defined_name("delivery.ramp[1]"), defined_name("effect.relative_risk")
    ('delivery.ramp_1', 'effect.relative_risk')
    """
    return re.sub(r"\[(\d+)\]", r"_\1", path)


def describe(scenario: Scenario, path: str) -> tuple[str, str]:
    """Readable name and unit of the input at ``path``, the currency code filled in.

    >>> import sroi
    >>> s = sroi.load_scenario("scenarios/family_action_pss/oxford.yaml")
    >>> describe(s, "delivery.referrals_per_year")
    ('Referrals a year', 'women/year')
    >>> describe(s, "costs.coordinator.salary")
    ('Co-ordinator salary', 'GBP/year')
    """
    return value_label(scenario, path), value_unit(scenario, path)
