"""Stage 1: scenario files -> validated, immutable :class:`Scenario` objects."""

from sroi.scenario.loader import check_file, load_scenario
from sroi.scenario.model import Scenario
from sroi.scenario.problems import Problem, ScenarioError
from sroi.scenario.values import Value

__all__ = ["Problem", "Scenario", "ScenarioError", "Value", "check_file", "load_scenario"]
