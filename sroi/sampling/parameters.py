"""Every numeric value of a scenario, keyed by its dotted path."""

from __future__ import annotations

from dataclasses import dataclass

from sroi.distributions import Distribution
from sroi.scenario.model import Scenario, scenario_values


@dataclass(frozen=True)
class Parameter:
    """One numeric value of a scenario.

    path : str
        Dotted path, e.g. ``"costs.coordinator.salary"``; list entries as
        ``"delivery.ramp[1]"``.
    distribution : Distribution
        What the value is (``Fixed`` for a number).
    shared : bool
        Drawn from a stream keyed by path alone, the same in every scenario.
    """

    path: str
    distribution: Distribution
    shared: bool = False

    @property
    def uncertain(self) -> bool:
        """True when the value is drawn rather than fixed."""
        return not self.distribution.is_fixed


def parameters(scenario: Scenario) -> dict[str, Parameter]:
    """Every numeric value of ``scenario`` by dotted path, in a stable order."""
    return {
        path: Parameter(path, value.distribution(), value.shared)
        for path, value in scenario_values(scenario).items()
    }
