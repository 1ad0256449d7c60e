"""Cell helpers shared by every sheet: column letters, styles, number formats."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sroi.reports import style

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


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
    for col, text in enumerate(headings, 1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = st.bold
        cell.fill = st.header_fill
        cell.alignment = st.wrap


def _input(cell: Any, st: _Styles) -> None:
    cell.font = st.input_font
    cell.fill = st.input_fill


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None
