"""sroi: Social Return on Investment modelling with honest uncertainty.

The pipeline runs one way: scenario files -> validated scenarios
(:mod:`sroi.scenario`) -> samples (:mod:`sroi.sampling`) -> per-draw results
(:mod:`sroi.engine`) -> summaries (:mod:`sroi.results`) -> tables and reports
(:mod:`sroi.reports`, :mod:`sroi.cli`).
The names every stage shares (payers, value types, evidence grades,
drivers, metrics, perspectives) are declared once in :mod:`sroi.vocabulary`.

Heavy modules load on first use, so ``import sroi`` and the command line
start quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Results",  # what a run produced: base case, draws, summaries, cash flows
    "Scenario",  # a validated, immutable scenario
    "ScenarioError",  # raised with every located problem in scenario files
    "__version__",
    "load_scenario",  # read and validate one YAML scenario file
    "run",  # run scenarios: base case and Monte Carlo
]

if TYPE_CHECKING:
    from sroi.api import run
    from sroi.results import Results
    from sroi.scenario import Scenario, ScenarioError, load_scenario

_LAZY = {
    "Results": "sroi.results",
    "run": "sroi.api",
    "Scenario": "sroi.scenario",
    "ScenarioError": "sroi.scenario",
    "load_scenario": "sroi.scenario",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sroi' has no attribute {name!r}")
