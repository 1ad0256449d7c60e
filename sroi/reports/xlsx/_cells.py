"""Cell helpers shared by every sheet: references, formats, and a sheet
wrapper that writes text as text and every formula with its cached value.

Rows and columns are 0-based, as xlsxwriter counts them; :func:`ref` turns
them into A1 references.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, Literal

from sroi.reports import style

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

#: How a number is shown: money (whole units or, for per-unit inputs, to the
#: penny), a share as a percentage, a ratio, a count to a tenth, whole hours,
#: a discount or price factor, a year, or a plain number to at most 4 decimals.
#: A "chance" (a probability across the draws) is a share that never reads as
#: a certainty it is not: the cell keeps the number, but above 0 and under
#: 0.05% it shows "<0.1%", and over 99.95% but under 1 ">99.9%"
#: (``chance_below`` and ``chance_above``, chosen by :meth:`Sheet.number`).
Kind = Literal[
    "money",
    "money_unit",
    "share",
    "chance",
    "chance_below",
    "chance_above",
    "ratio",
    "count",
    "hours",
    "factor",
    "year",
    "year_header",
    "number",
    "text",
]

#: What a formula shows where its result is not defined (a ratio over zero).
NOT_DEFINED = "not defined"

_BLUE, _YELLOW, _HEADER = "#0000CC", "#FFF7D6", "#E8EEF3"


#: Leading characters that make a spreadsheet read a cell as a formula
#: (the OWASP CSV injection list): such text is written with a leading ``'``.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def text(value: str) -> str:
    """``value`` made safe for a cell: text is always text, never a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    gets a leading apostrophe, the established (OWASP) defence against formula
    injection: the apostrophe keeps it text even after the cell is edited or
    the sheet is saved as CSV.  Control characters a workbook cannot hold are
    shown as ``\\xNN``.

    >>> text("=SUM(A1:A9)"), text("-5% uptake"), text("NHS")
    ("'=SUM(A1:A9)", "'-5% uptake", 'NHS')
    """
    clean = _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return "'" + clean if clean.startswith(FORMULA_START) else clean


#: The functions the workbook's formulas call: none needs xlsxwriter's
#: renaming of newer Excel functions (``_xlfn.``), which costs a few dozen
#: regular expressions per formula.
PLAIN_FUNCTIONS = frozenset({"IF", "IFERROR", "INDEX", "MATCH", "MAX", "MIN", "SUM", "SUMPRODUCT"})
_FUNCTION = re.compile(r"\b([A-Z][A-Z0-9._]*)\(")


def worksheet_class() -> type:
    """xlsxwriter's worksheet, skipping the renaming of newer functions in
    formulas that call only :data:`PLAIN_FUNCTIONS` (writes the big site
    sheets several times faster; any other formula goes the usual way)."""
    from xlsxwriter.worksheet import Worksheet

    class PlainFormulas(Worksheet):
        def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
            if set(_FUNCTION.findall(formula)) <= PLAIN_FUNCTIONS:
                return formula.removeprefix("=")
            return str(super()._prepare_formula(formula, expand_future_functions))

    return PlainFormulas


def ref(row: int, col: int, *, fix_row: bool = False, fix_col: bool = False) -> str:
    """A1 reference of a 0-based cell, e.g. ``ref(0, 7) == "H1"``."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    return str(xl_rowcol_to_cell(row, col, fix_row, fix_col))


def span(row: int, first: int, last: int) -> str:
    """Absolute reference of the cells ``first .. last`` of one row, e.g. ``$H$5:$J$5``."""
    start = ref(row, first, fix_row=True, fix_col=True)
    return f"{start}:{ref(row, last, fix_row=True, fix_col=True)}"


def col_letter(col: int) -> str:
    """Letter of a 0-based column."""
    from xlsxwriter.utility import xl_col_to_name

    return str(xl_col_to_name(col))


#: The tallest row a spreadsheet allows [points].
MAX_ROW_POINTS = 409


def wrapped_lines(text: str, width: int) -> int:
    r"""Lines ``text`` takes wrapped in a column ``width`` characters wide,
    with a little room for breaks between words.

    >>> wrapped_lines("a" * 50, 60), wrapped_lines("a" * 130, 60), wrapped_lines("a\nb", 60)
    (1, 3, 2)
    """
    return sum(max(1, math.ceil(1.1 * len(part) / width)) for part in text.split("\n"))


def sheet_ref(sheet: str) -> str:
    """``sheet`` quoted for a formula, with its ``!``: ``'Oxford'!``."""
    return "'" + sheet.replace("'", "''") + "'!"


def sheet_titles(names: list[str], taken: set[str]) -> list[str]:
    """A sheet title for each name: the name without a trailing parenthesis,
    without the characters Excel forbids, control characters or ``!``, with
    ``'`` as ``’``, at most 31 characters, unique (case-insensitively) among
    themselves and ``taken``."""
    out: list[str] = []
    used = {t.lower() for t in taken}
    for name in names:
        short = re.sub(r"\s*\([^)]*\)\s*$", "", name) or name
        # Excel allows "!" and "'", but a sheet-scoped defined name cannot
        # carry them: "!" splits it, and an apostrophe ends the quoted title.
        clean = re.sub(r"[\[\]:*?/\\!\x00-\x1f\x7f]", " ", short).replace("'", "\u2019")
        clean = clean.strip(" \u2019") or "Site"
        title, n = clean[:31], 2
        while title.lower() in used:
            suffix = f" ({n})"
            title, n = clean[: 31 - len(suffix)] + suffix, n + 1
        used.add(title.lower())
        out.append(title)
    return out


def money_format(currency: str, decimals: int = 0) -> str:
    """Excel number format for money in ``currency``."""
    sym = style.symbol(currency)
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    if len(sym) == 1:
        return f'"{sym}"{digits};-"{sym}"{digits}'
    return f'{digits}" {currency}"'


class Formats:
    """Cell formats of one workbook, made on first use and shared."""

    def __init__(self, wb: Workbook, currency: str) -> None:
        self._wb = wb
        self._cache: dict[tuple[Any, ...], Format] = {}
        self.numbers: dict[str, str] = {
            "money": money_format(currency),
            "money_unit": money_format(currency, 2),
            "share": "0.0%",
            "chance": "0.0%",
            "chance_below": '"<0.1%"',
            "chance_above": '">99.9%"',
            "ratio": "0.00",
            "count": "#,##0.0",
            "hours": "#,##0",
            "factor": "0.0000",
            "year": "0",
            "year_header": '"Year "0',
            "number": "#,##0.0###",
            "text": "@",
        }

    def get(
        self,
        kind: Kind | None = None,
        *,
        entry: bool = False,
        bold: bool = False,
        header: bool = False,
        section: bool = False,
        muted: bool = False,
        title: bool = False,
        wrap: bool = False,
    ) -> Format:
        """The format of a cell: number ``kind``; ``entry`` for an input an
        economist may change (blue on yellow); or a column header (wrapped), a
        section heading (on one line), a muted note or a title."""
        key = (kind, entry, bold, header, section, muted, title, wrap)
        if key not in self._cache:
            props: dict[str, Any] = {"valign": "top"}
            if kind is not None and kind != "text":
                props["num_format"] = self.numbers[kind]
            if entry:
                props.update(font_color=_BLUE, bg_color=_YELLOW)
            if bold or header or section or title:
                props["bold"] = True
            if header:
                props.update(bg_color=_HEADER, text_wrap=True, bottom=1)
            if section:
                props.update(bg_color=_HEADER, bottom=1)
            if muted:
                props.update(italic=True, font_color="#555555")
            if title:
                props["font_size"] = 14
            if wrap:
                props["text_wrap"] = True
            self._cache[key] = self._wb.add_format(props)
        return self._cache[key]


def chance_kind(x: float) -> Kind:
    """The format of a chance ``x`` [0 to 1]: one decimal of a percent, or
    "<0.1%" / ">99.9%" where that would round to a certainty it is not.

    >>> chance_kind(0.0004), chance_kind(0.0), chance_kind(0.5), chance_kind(0.9996)
    ('chance_below', 'chance', 'chance', 'chance_above')
    """
    if 0 < x < 0.0005:
        return "chance_below"
    if 0.9995 < x < 1:
        return "chance_above"
    return "chance"


def finite(x: float) -> float | None:
    """``x`` as a float, or None when it is not finite (written as an empty cell)."""
    return float(x) if math.isfinite(x) else None


class Sheet:
    """One worksheet: text always written as text (never read as a formula),
    numbers with a format, formulas with their cached values."""

    def __init__(self, ws: Worksheet, fmt: Formats) -> None:
        self.ws = ws
        self.fmt = fmt
        self.title = ws.get_name()

    def text(self, row: int, col: int, value: str | None, cell: Format | None = None) -> None:
        """Write ``value`` as a string (nothing when None)."""
        if value is not None and value != "":
            self.ws.write_string(row, col, text(str(value)), cell)

    def number(
        self, row: int, col: int, value: float | None, kind: Kind, *, entry: bool = False
    ) -> None:
        """Write a number (an empty formatted cell when None or not finite)."""
        if kind == "chance" and value is not None:
            kind = chance_kind(value)
        cell = self.fmt.get(kind, entry=entry)
        if value is None or not math.isfinite(value):
            self.ws.write_blank(row, col, None, cell)
        else:
            self.ws.write_number(row, col, float(value), cell)

    def boolean(self, row: int, col: int, value: bool, *, entry: bool = False) -> None:
        """Write TRUE or FALSE."""
        self.ws.write_boolean(row, col, bool(value), self.fmt.get(entry=entry))

    def formula(
        self,
        row: int,
        col: int,
        formula: str,
        value: float | str | bool,
        kind: Kind,
        *,
        bold: bool = False,
    ) -> None:
        """Write ``formula`` (starting with ``=``) with its cached ``value``: the
        number readers that do not recalculate show.  A value that is not
        finite is cached as :data:`NOT_DEFINED`, as the formula would show."""
        if isinstance(value, float) and not math.isfinite(value):
            value = NOT_DEFINED
        self.ws.write_formula(row, col, formula, self.fmt.get(kind, bold=bold), value)

    def header(self, row: int, headings: list[str], first_col: int = 0) -> None:
        """A row of column headings."""
        cell = self.fmt.get(header=True)
        for col, heading in enumerate(headings, first_col):
            self.ws.write_string(row, col, text(heading), cell)

    def heading(
        self, row: int, title: str, note: str | None = None, *, wrap: tuple[int, int] | None = None
    ) -> None:
        """A sheet's title in row ``row`` and a muted note under it.  With
        ``wrap`` (the last column, and how many characters the columns up to
        it hold), the note wraps within those columns and its row is made tall
        enough, so that it prints whole rather than running off the page."""
        self.text(row, 0, title, self.fmt.get(title=True))
        if not note:
            return
        if wrap is None:
            self.text(row + 1, 0, note, self.fmt.get(muted=True))
            return
        last, chars = wrap
        self.ws.merge_range(
            row + 1, 0, row + 1, last, text(note), self.fmt.get(muted=True, wrap=True)
        )
        self.ws.set_row(row + 1, 15 * wrapped_lines(note, chars))

    def fit_row(self, row: int, cells: list[tuple[str | None, int]]) -> None:
        """Make row ``row`` tall enough for its wrapped ``cells``, each
        ``(text, width of its column in characters)``: not every spreadsheet
        sizes a row to its wrapped text (LibreOffice printed the lines of a
        long note over the rows below)."""
        lines = max((wrapped_lines(t, w) for t, w in cells if t), default=1)
        if lines > 1:
            self.ws.set_row(row, min(15 * lines, MAX_ROW_POINTS))

    def print_setup(
        self,
        last_row: int,
        last_col: int,
        header_rows: tuple[int, int],
        *,
        repeat_cols: tuple[int, int] | None = None,
        one_page: bool = False,
    ) -> None:
        """A4 landscape with the header rows repeated on each page: one page
        wide, or, with ``repeat_cols``, at 60% with those columns repeated on
        each page across (a sheet too wide for one page); with ``one_page``,
        the whole sheet on one page and no header rows repeated."""
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(9)  # A4
        if one_page:
            ws.fit_to_pages(1, 1)
        elif repeat_cols is None:
            ws.fit_to_pages(1, 0)
        else:
            ws.set_print_scale(60)
            ws.repeat_columns(*repeat_cols)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.print_area(0, 0, max(last_row, 0), max(last_col, 0))
        if not one_page:
            ws.repeat_rows(*header_rows)
        ws.set_footer("&L&A&RPage &P of &N")
