"""Every numeric value of a scenario, keyed by its dotted path."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from sroi.distributions import Distribution
from sroi.scenario.model import Scenario
from sroi.scenario.values import Value


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
    return {p.path: p for p in _walk(scenario, "")}


def _walk(node: object, prefix: str) -> Iterator[Parameter]:
    if isinstance(node, Value):
        yield Parameter(prefix, node.distribution(), node.shared)
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _walk(getattr(node, name), f"{prefix}.{name}" if prefix else name)
    elif isinstance(node, dict):
        for key, child in node.items():
            yield from _walk(child, f"{prefix}.{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _walk(child, f"{prefix}[{i}]")
