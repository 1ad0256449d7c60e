"""Cell helpers shared by every sheet: column letters, styles, number formats,
and :func:`text`, through which every piece of text from a scenario or the
command line reaches a cell."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from sroi.reports import style

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


#: Leading characters that make a spreadsheet read a cell as a formula
#: (the OWASP CSV injection list): such text is written with a leading ``'``.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def text(value: Any) -> Any:
    """``value`` made safe for a cell: text is always text, never a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    gets a leading apostrophe, the established (OWASP) defence against formula
    injection: the cell is stored as text, and the apostrophe keeps it text
    even after the cell is edited or the sheet is saved as CSV.  Control
    characters a workbook cannot hold are shown as ``\\xNN``.  Anything but
    text is returned as it is.

    >>> text("=SUM(A1:A9)"), text("-5% uptake"), text("NHS"), text(3)
    ("'=SUM(A1:A9)", "'-5% uptake", 'NHS', 3)
    """
    if not isinstance(value, str):
        return value
    clean = _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return "'" + clean if clean.startswith(FORMULA_START) else clean


def defuse(wb: Any) -> None:
    """Pass :func:`text` over every text cell of ``wb``: a last guard for text
    that reached a cell without it.  Formulas are left alone."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "s" and isinstance(cell.value, str):
                    safe = text(cell.value)
                    if safe != cell.value:
                        cell.value = safe


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


class _Styles:
    """Cell styles, built once openpyxl is imported."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.bold = Font(bold=True)
        self.title = Font(bold=True, size=14)
        self.muted = Font(italic=True, color="555555")
        self.input_font = Font(color="0000CC")
        self.input_fill = PatternFill("solid", fgColor="FFF7D6")
        self.header_fill = PatternFill("solid", fgColor="E8EEF3")
        self.wrap = Alignment(wrap_text=True, vertical="top")


def _money_format(currency: str) -> str:
    sym = style.symbol(currency)
    if len(sym) == 1:
        return f'"{sym}"#,##0;-"{sym}"#,##0'
    return f'#,##0" {currency}"'


def _header(ws: Worksheet, row: int, headings: list[str], st: _Styles) -> None:
    for col, heading in enumerate(headings, 1):
        cell = ws.cell(row=row, column=col, value=text(heading))
        cell.font = st.bold
        cell.fill = st.header_fill
        cell.alignment = st.wrap


def _input(cell: Any, st: _Styles) -> None:
    cell.font = st.input_font
    cell.fill = st.input_fill


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None
