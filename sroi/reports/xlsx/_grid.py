"""The grid of a site's sheet: input rows, scalar rows and rows by year.

Columns: A item, B the input's name or how the row is computed, C the
value (an input, a scalar, or the row's total or present value), D unit,
E to G price year, price factor and value at the scenario's prices (money
inputs) or payer, value type and cashable (outcomes), then one column per
analysis year from H.  The header row holds the year numbers 0 .. H-1, so a
formula reads its year as ``H$4``.

Every formula is written with the value the engine's equations give for it
(computed here with numpy, beside the formula), so readers that do not
recalculate show numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from sroi.reports.xlsx._cells import Kind, Sheet, col_letter, ref, sheet_ref, span
from sroi.reports.xlsx._paths import AS_WRITTEN, defined_name, describe
from sroi.scenario.model import Scenario, scenario_values
from sroi.scenario.money import is_money_path, price_factors, value_price_year

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook

LABEL, HOW, VALUE, UNIT, EXTRA = 0, 1, 2, 3, 4
#: Column of analysis year 0.
YEAR0 = 7
#: Row (0-based) of the column headings and year numbers.
HEADER_ROW = 3

#: Column headings A to G.
HEADINGS = [
    "Item",
    "Name (inputs) or how it is computed",
    "Value, total or present value",
    "Unit",
    "Price year · payer",
    "Price factor · value type",
    "At scenario prices · cashable",
]


class Grid:
    """Writes one site's sheet row by row and remembers where things are."""

    def __init__(self, wb: Workbook, sheet: Sheet, scenario: Scenario, horizon: int) -> None:
        self.wb = wb
        self.sheet = sheet
        self.s = scenario
        self.horizon = horizon
        self.row = HEADER_ROW + 1
        self._values = scenario_values(scenario)
        self._factors = price_factors(scenario)
        #: Defined name -> absolute reference of its cell (for other sheets).
        self.cells: dict[str, str] = {}

    # ------------------------------------------------------------------ references

    def year_cell(self, row: int, y: int, *, fix_row: bool = False) -> str:
        """Reference of year ``y`` of ``row``."""
        return ref(row, YEAR0 + y, fix_row=fix_row)

    def year_span(self, row: int, years: int | None = None) -> str:
        """Absolute reference of the first ``years`` (default all) year cells of ``row``."""
        return span(row, YEAR0, YEAR0 + (years or self.horizon) - 1)

    @staticmethod
    def year_index(y: int) -> str:
        """The header cell holding year number ``y`` (``H$4`` for year 0)."""
        return ref(HEADER_ROW, YEAR0 + y, fix_row=True)

    def value_cell(self, row: int) -> str:
        """Absolute reference of column C of ``row``."""
        return ref(row, VALUE, fix_row=True, fix_col=True)

    def define(self, name: str, target: str) -> None:
        """A name local to this sheet for ``target`` (a reference on it)."""
        local = sheet_ref(self.sheet.title)
        self.cells[name] = target
        if self.wb.define_name(f"{local}{name}", f"={local}{target}") != 0:
            raise ValueError(f"cannot name cell {target} {name!r} on sheet {local}")

    # ------------------------------------------------------------------ rows

    def section(self, title: str, note: str | None = None) -> None:
        """A section heading (and a muted note) across the first columns."""
        self.row += 1
        fmt = self.sheet.fmt.get(section=True)
        self.sheet.text(self.row, LABEL, title, fmt)
        for col in range(HOW, YEAR0):
            self.sheet.ws.write_blank(self.row, col, None, fmt)
        if note:
            self.sheet.text(self.row, HOW, note, fmt)
        self.row += 1

    def info(self, label: str, text: str) -> None:
        """A row of information that is part of the model's structure, not an input."""
        self.sheet.text(self.row, LABEL, label)
        self.sheet.text(self.row, VALUE, text)
        self.row += 1

    def input(self, path: str, kind: Kind) -> tuple[str, float]:
        """The input at ``path`` as a named entry cell; returns the name a
        formula uses (for money, the value at the scenario's prices) and that value."""
        value = self._values[path]
        label, unit = describe(self.s, path)
        name = defined_name(path)
        sh, r = self.sheet, self.row
        written = float(value.central())
        sh.text(r, LABEL, label)
        sh.number(r, VALUE, written, kind, entry=True)
        sh.text(r, UNIT, unit)
        if not is_money_path(path):
            sh.text(r, HOW, name)
            self.define(name, self.value_cell(r))
            self.row += 1
            return name, written
        factor = self._factors[path]
        sh.text(r, HOW, name + AS_WRITTEN)
        self.define(name + AS_WRITTEN, self.value_cell(r))
        sh.number(r, EXTRA, value_price_year(self.s, value), "year")
        sh.number(r, EXTRA + 1, factor, "factor", entry=True)
        at_prices = ref(r, EXTRA + 2, fix_row=True, fix_col=True)
        sh.formula(r, EXTRA + 2, f"={ref(r, VALUE)}*{ref(r, EXTRA + 1)}", written * factor, kind)
        self.define(name, at_prices)
        self.row += 1
        return name, written * factor

    def flag(self, name: str, label: str, value: bool) -> None:
        """A TRUE/FALSE entry cell named ``name``."""
        self.sheet.text(self.row, LABEL, label)
        self.sheet.text(self.row, HOW, name)
        self.sheet.boolean(self.row, VALUE, value, entry=True)
        self.define(name, self.value_cell(self.row))
        self.row += 1

    def scalar(
        self,
        label: str,
        how: str,
        formula: str,
        value: float | str,
        kind: Kind,
        *,
        name: str | None = None,
        unit: str = "",
        bold: bool = False,
    ) -> str:
        """A computed scalar in column C; returns its absolute reference."""
        sh, r = self.sheet, self.row
        sh.text(r, LABEL, label, sh.fmt.get(bold=bold) if bold else None)
        sh.text(r, HOW, name or how)
        sh.formula(r, VALUE, formula, value, kind, bold=bold)
        sh.text(r, UNIT, unit)
        if name:
            self.define(name, self.value_cell(r))
        self.row += 1
        return self.value_cell(r)

    def yearly(
        self,
        label: str,
        how: str,
        unit: str,
        cell: Callable[[int], str] | Sequence[str],
        values: np.ndarray,
        kind: Kind,
        *,
        total: bool = True,
        bold: bool = False,
    ) -> int:
        """A row with a formula in each of the ``len(values)`` first years
        (``cell(y)``, or ``cell[y]`` from a list) and, with ``total``, their sum
        in column C; returns the row."""
        sh, r = self.sheet, self.row
        sh.text(r, LABEL, label, sh.fmt.get(bold=bold) if bold else None)
        sh.text(r, HOW, how)
        sh.text(r, UNIT, unit)
        for y, v in enumerate(values):
            formula = cell[y] if isinstance(cell, Sequence) else cell(y)
            sh.formula(r, YEAR0 + y, formula, float(v), kind)
        if total:
            first, last = ref(r, YEAR0), ref(r, YEAR0 + len(values) - 1)
            sh.formula(r, VALUE, f"=SUM({first}:{last})", float(np.sum(values)), kind, bold=bold)
        self.row += 1
        return r

    def entries(self, label: str, how: str, values: list[float], kind: Kind) -> int:
        """A row of entry cells by year (no formulas); returns the row."""
        sh, r = self.sheet, self.row
        sh.text(r, LABEL, label)
        sh.text(r, HOW, how)
        for y, v in enumerate(values):
            sh.number(r, YEAR0 + y, v, kind, entry=True)
        self.row += 1
        return r

    def constants(self, label: str, how: str, values: list[float]) -> int:
        """A row of fixed numbers by year that are structure, not inputs."""
        sh, r = self.sheet, self.row
        sh.text(r, LABEL, label)
        sh.text(r, HOW, how)
        for y, v in enumerate(values):
            sh.number(r, YEAR0 + y, v, "number")
        self.row += 1
        return r


def letter(y: int) -> str:
    """Column letter of analysis year ``y``."""
    return col_letter(YEAR0 + y)
