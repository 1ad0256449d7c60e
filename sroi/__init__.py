"""sroi: Social Return on Investment modelling with honest uncertainty.

The pipeline runs one way: scenario files -> validated scenarios
(:mod:`sroi.scenario`) -> samples (:mod:`sroi.sampling`) -> per-draw results
(:mod:`sroi.engine`) -> summaries (:mod:`sroi.results`) -> tables and reports
(:mod:`sroi.reports`, :mod:`sroi.cli`).
The names every stage shares (payers, value types, evidence grades,
drivers, metrics, perspectives) are declared once in :mod:`sroi.vocabulary`.

The top level names the few things most users need (``__all__`` below).
Everything else is public in its subpackage:

* :mod:`sroi.scenario`: ``load_scenario``, ``check_file``, ``Scenario``,
  ``Value``, ``Problem``, ``ScenarioError`` and ``bundled_path`` (the
  scenarios, template and schema installed with sroi);
* :mod:`sroi.distributions`: the distributions a value may take;
* :mod:`sroi.results`: ``Results``;
* :mod:`sroi.analysis`: one-way, break-even, Sobol', value of information,
  comparison and replication, one module each;
* :mod:`sroi.plots`: the report's charts, each drawn from a ``Results``
  into a figure of its own or the caller's axes (``ax=``);
* :mod:`sroi.reports`: the HTML report and the Excel workbook
  (:mod:`sroi.reports.xlsx`).

Heavy modules load on first use, so ``import sroi`` and the command line
start quickly; ``dir(sroi)`` still lists every public name, and each
subpackage is there as ``sroi.<name>`` without importing it first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sroi._version import __version__

__all__ = [
    "PathError",  # raised when a path names no scenario file (a ValueError)
    "Results",  # what a run produced: base case, draws, summaries, cash flows
    "Scenario",  # a validated, immutable scenario
    "ScenarioError",  # raised with every located problem in scenario files
    "__version__",
    "load_scenario",  # read and validate one YAML scenario file
    "run",  # run scenarios: base case and Monte Carlo
    "with_values",  # a scenario with some values replaced, validated
]

if TYPE_CHECKING:
    from sroi.api import run
    from sroi.results import Results
    from sroi.scenario import PathError, Scenario, ScenarioError, load_scenario, with_values

_LAZY = {
    "PathError": "sroi.scenario",
    "Results": "sroi.results",
    "run": "sroi.api",
    "Scenario": "sroi.scenario",
    "ScenarioError": "sroi.scenario",
    "load_scenario": "sroi.scenario",
    "with_values": "sroi.scenario",
}


#: The subpackages and modules a user reaches as ``sroi.<name>``, imported
#: on first use (``import sroi.analysis`` is not needed first).
_MODULES = (
    "analysis",
    "api",
    "distributions",
    "engine",
    "plots",
    "prices",
    "replication",
    "reports",
    "results",
    "sampling",
    "scenario",
    "sweep",
    "vocabulary",
)


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _MODULES:
        return importlib.import_module(f"sroi.{name}")
    raise AttributeError(f"module 'sroi' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, including those that load on first use."""
    return sorted({*__all__, *_MODULES})
