"""Sweeps: one base scenario run over many areas and designs, into one table.

A sweep crosses base scenarios with the rows of a grid (areas) and a set of
designs, sets each case's values with :func:`sroi.with_values`, runs every
case under one seed (common random numbers across cases) and writes one
tidy long table of every metric and statistic of ``sroi run --json``.
Cases run in this process, on a process pool, or on a Dask cluster.
"""

from sroi.sweep.cases import Case, case_scenario, plan_cases
from sroi.sweep.inputs import Overrides, read_designs, read_grid
from sroi.sweep.rows import COLUMNS, Row
from sroi.sweep.run import Failure, SweepReport, sweep

__all__ = [
    "COLUMNS",
    "Case",
    "Failure",
    "Overrides",
    "Row",
    "SweepReport",
    "case_scenario",
    "plan_cases",
    "read_designs",
    "read_grid",
    "sweep",
]
