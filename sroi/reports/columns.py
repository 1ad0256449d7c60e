"""Fixed-width text tables for the terminal, laid out in one place.

Every plain-text table the command line prints (``sroi run``, ``compare``,
``replicate``, ``sensitivity``) describes its columns here and leaves the
layout to :class:`TextTable`.  Each column has a least width, so ordinary
numbers line up as they always have; a cell wider than that widens its whole
column, and two cells next to each other in a row are always kept at least one
space apart, however wide the numbers.  So ``282,284,285`` and ``272,654,838``
never print as ``282,284,285272,654,838``, and ``-13,163,503`` beside
``-24,190,029`` never reads as a subtraction.

>>> t = TextTable(Column(6, gap=2), Column(8, ">"), Column(8, ">"))
>>> t.row("site", "cost", "value")
>>> t.row("a", "1,234", "5,678")
>>> t.row("b", "123,456,789", "-1,000,000")
>>> print("\\n".join(t.lines()))
  site         cost      value
  a           1,234      5,678
  b     123,456,789 -1,000,000
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Column:
    """One column: its least width [characters], how its cells are aligned
    (``"<"`` left, ``">"`` right) and the spaces written before it."""

    width: int = 0
    align: Literal["<", ">"] = "<"
    gap: int = 0


class Spill(str):
    """A cell that may run on into the empty cells after it in its row, such
    as a heading over two columns: written from the start of its column, it
    does not widen the column, and the next cell in the row still keeps a
    space from it."""

    __slots__ = ()


class TextTable:
    """Rows of cells under fixed columns, and lines in between (titles,
    notes) that are written as they are.  All the rows share one layout, so
    the columns line up from the first row to the last."""

    def __init__(self, *columns: Column) -> None:
        self.columns = columns
        self._items: list[tuple[str, ...] | str] = []

    def row(self, *cells: str) -> None:
        """A row: one cell per column, from the first; missing cells are empty."""
        if len(cells) > len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        self._items.append(cells + ("",) * (len(self.columns) - len(cells)))

    def line(self, text: str = "") -> None:
        """A line outside the columns, written as it is."""
        self._items.append(text)

    def lines(self) -> list[str]:
        """Every row and line, in order; rows without trailing spaces."""
        starts, widths = self._layout()
        out = []
        for item in self._items:
            if isinstance(item, str):
                out.append(item)
                continue
            text = ""
            for j, cell in enumerate(item):
                if cell:
                    text = text.ljust(self._begin(item, j, starts, widths)) + cell
            out.append(text)
        return out

    def _begin(self, row: tuple[str, ...], j: int, starts: list[int], widths: list[int]) -> int:
        """Where the text of cell ``j`` of ``row`` begins [characters from the
        start of the line]."""
        cell = row[j]
        if isinstance(cell, Spill) or self.columns[j].align == "<":
            return starts[j]
        return starts[j] + widths[j] - len(cell)

    def _layout(self) -> tuple[list[int], list[int]]:
        """Where each column starts and its width [characters]: at least as
        wide as given and as every cell, with at least a space between any two
        cells of a row."""
        rows = [item for item in self._items if not isinstance(item, str)]
        widths = [
            max([c.width, *(len(r[j]) for r in rows if not isinstance(r[j], Spill))])
            for j, c in enumerate(self.columns)
        ]
        # Left to right: where column j starts depends only on the columns
        # before it, which are settled by the time j is.
        starts: list[int] = []
        for j, column in enumerate(self.columns):
            starts.append((starts[-1] + widths[j - 1] if j else 0) + column.gap)
            short = 0
            for r in rows:
                before = [i for i in range(j) if r[i]]
                if not r[j] or not before:
                    continue
                i = before[-1]
                end = self._begin(r, i, starts, widths) + len(r[i])
                short = max(short, end + 1 - self._begin(r, j, starts, widths))
            starts[j] += short
        return starts, widths
