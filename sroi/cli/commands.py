"""The subcommands of ``sroi``, each with its line in ``sroi --help``.

Each lives in its own module, ``sroi.cli.<name>_cmd``, with ``add_parser``
and ``run``; a module is imported only when its command is named, so a
command line pays for its own command alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

#: Each subcommand's one-line help, in the order ``sroi --help`` lists them.
HELP: Final[Mapping[str, str]] = MappingProxyType(
    {
        "validate": "check scenario files; report every problem as FILE:LINE:COL",
        "run": "run the base case and a Monte Carlo analysis; print a table or JSON",
        "schema": "print the JSON Schema of the scenario format (for editors)",
        "sensitivity": (
            "which values drive the results: one-way, break-even, Sobol' or value of information"
        ),
        "report": "write a self-contained HTML report (and optionally an Excel value map)",
        "compare": (
            "league table of sites and proposals: P(best value), ranks, what payers get back"
        ),
        "replicate": "cost the service in a new area from a few answers; writes a scenario file",
        "sweep": "run a scenario over many areas and designs into one tidy table",
        "app": "open a web page to cost the service in your area (on this computer only)",
    }
)

__all__ = ["HELP"]
