"""Stage 1: scenario files -> validated, immutable :class:`Scenario` objects."""

from sroi.scenario.bundled import bundled_path
from sroi.scenario.discover import PathError
from sroi.scenario.loader import check_file, load_scenario
from sroi.scenario.model import Scenario
from sroi.scenario.overrides import with_values
from sroi.scenario.problems import Problem, ScenarioError
from sroi.scenario.values import Value

__all__ = [
    "PathError",
    "Problem",
    "Scenario",
    "ScenarioError",
    "Value",
    "bundled_path",
    "check_file",
    "load_scenario",
    "with_values",
]
