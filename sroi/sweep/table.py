"""Write the sweep table as Parquet or CSV, a batch at a time, atomically.

Rows are written as cases finish, so memory does not grow with the number
of cases.  The file is written in place of the target and replaces it only
when closed (:func:`sroi.files.atomic_path`): a reader never sees a
half-written table, and a failed write leaves the old file as it was.

Parquet needs pyarrow (``pip install 'sroi[parquet]'``, included in
``sroi[dask]``).  CSV numbers are written with Python's shortest exact
repr, so they read back to the same floats.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from sroi.files import atomic_path, check_output, writing_to
from sroi.sweep.rows import COLUMNS, Row

#: Output formats by file suffix.
FORMATS = {".parquet": "parquet", ".csv": "csv"}
#: Rows buffered before a Parquet row group is written [rows].
ROW_GROUP = 20_000


class TableError(Exception):
    """An output file that cannot be written or read back."""


class CutShort(TableError):
    """A CSV table that ends part-way through a row: cut short after it was
    written (an interrupted copy or download, a full disk), since sroi ends
    every row with a newline.  Raised by :func:`read_rows` only after every
    whole row before the cut has been yielded.

    line : int
        The line where the cut row starts.
    """

    def __init__(self, path: Path, line: int) -> None:
        super().__init__(
            f"{path}:{line}: the table ends part-way through this row: the file was cut "
            "short after it was written (an interrupted copy or download, or a full disk)"
        )
        self.line = line


def table_format(path: str | os.PathLike[str]) -> str:
    """``"parquet"`` or ``"csv"`` from the suffix of ``path``."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise TableError(f"{path}: expected a .parquet or .csv output file; found {suffix!r}")
    if FORMATS[suffix] == "parquet":
        _pyarrow()
    return FORMATS[suffix]


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise TableError(
            "writing Parquet needs pyarrow: pip install 'sroi[parquet]' (or write a .csv)"
        ) from None
    return pyarrow


def _schema() -> Any:
    pa = _pyarrow()
    text = pa.string()
    return pa.schema(
        [
            *((c, text) for c in COLUMNS[:6]),
            ("value", pa.float64()),
            ("perspective", text),
            ("price_year", pa.int64()),
            ("input_hash", text),
            ("error", text),
        ]
    )


class TableWriter:
    """Writes rows to ``path`` (Parquet or CSV); use as a context manager.

    The target is replaced when the block ends without an exception (and
    :meth:`discard` was not called); an exception, ``KeyboardInterrupt``
    included, leaves it untouched.  The table holds every batch written
    whole and never part of one: a caller that catches an interrupt inside
    the block keeps a valid table that ``--resume`` builds on, even if the
    interrupt cut a batch short.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.format = table_format(path)
        #: Rows written whole, and the CSV bytes they end at: one attribute,
        #: so an interrupt never finds one updated without the other.
        self._committed = (0, 0)
        self._buffer: list[Row] = []
        self._stack = contextlib.ExitStack()
        self._writer: Any = None
        self._discard = False

    @property
    def rows(self) -> int:
        """Rows written whole so far [rows]."""
        return self._committed[0]

    def __enter__(self) -> TableWriter:
        self._out = check_output(self.path)
        self._tmp = self._stack.enter_context(atomic_path(self._out))
        try:
            with writing_to(self._out):
                if self.format == "csv":
                    self._handle = open(self._tmp, "wb")
                    self._stack.enter_context(self._handle)
                    self._handle.write(_csv_text([list(COLUMNS)]))
                    self._committed = (0, self._handle.tell())
                else:
                    pq = _pyarrow().parquet
                    self._writer = pq.ParquetWriter(self._tmp, _schema())
                    self._stack.callback(self._writer.close)
        except BaseException as exc:
            self._stack.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return self

    def write(self, rows: list[Row]) -> None:
        """Add a batch of rows, kept whole or not at all if interrupted
        (written to disk in larger groups for Parquet).

        Raises
        ------
        OutputError
            When the rows cannot be written (a full disk), naming the table.
        """
        count, end = self._committed
        with writing_to(self._out):
            if self.format == "csv":
                text = _csv_text(_csv_cells(r) for r in rows)
                self._handle.write(text)
                self._committed = (count + len(rows), end + len(text))
                return
            self._buffer.extend(rows)
            self._committed = (count + len(rows), 0)
            if len(self._buffer) >= ROW_GROUP:
                self._flush()

    def discard(self) -> None:
        """Leave the target as it was when the block ends."""
        self._discard = True

    def _flush(self) -> None:
        pending, self._buffer = self._buffer, []
        if pending:
            pa = _pyarrow()
            columns = list(zip(*pending, strict=True))
            table = pa.Table.from_arrays(
                [pa.array(c, type=f.type) for c, f in zip(columns, _schema(), strict=True)],
                schema=_schema(),
            )
            self._writer.write_table(table)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        keep = kind is None and not self._discard
        # Closing flushes what is buffered, so it can fail as a write does.
        with writing_to(self._out):
            try:
                if keep and self.format == "parquet":
                    self._flush()
                if keep and self.format == "csv":
                    # Drop any part of a batch that an interrupt cut short.
                    self._handle.flush()
                    self._handle.truncate(self._committed[1])
            except BaseException as error:
                self._stack.__exit__(type(error), error, error.__traceback__)
                raise
            # Leaving the atomic block without an error replaces the target.
            if keep:
                self._stack.close()
            elif kind is None:
                self._stack.__exit__(_Discarded, _Discarded(), None)
            else:
                self._stack.__exit__(kind, exc, tb)


class _Discarded(Exception):
    """Raised into the atomic block to leave the target as it was."""


def _csv_text(rows: Iterable[list[str]]) -> bytes:
    """``rows`` as CSV lines, UTF-8."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue().encode("utf-8")


def _csv_cells(row: Row) -> list[str]:
    return ["" if x is None else repr(x) if isinstance(x, float) else str(x) for x in row]


def read_rows(path: str | os.PathLike[str]) -> Iterator[Row]:
    """The rows of a table written by :class:`TableWriter`, streamed.

    Raises
    ------
    CutShort
        When a CSV table ends part-way through its last row, after yielding
        every row before it.
    TableError
        When the file is not such a table; for a CSV table, with the line
        that is not a row of it.
    """
    path = Path(path)
    try:
        if table_format(path) == "csv":
            yield from _read_csv(path)
        else:
            yield from _read_parquet(path)
    except (OSError, ValueError, KeyError) as exc:
        raise TableError(f"{path}: cannot read it as a sweep table: {exc}") from None


def _read_csv(path: Path) -> Iterator[Row]:
    header_line = ",".join(COLUMNS)
    # sroi ends every line with a newline: what follows the last one (the
    # tail) is a line cut short, and so is a quoted cell still open at the end.
    tail = b""
    with open(path, "rb") as f:

        def lines() -> Iterator[str]:
            nonlocal tail
            for number, raw in enumerate(f, start=1):
                if not raw.endswith(b"\n"):
                    tail = raw
                    return
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise TableError(f"{path}:{number}: expected UTF-8 text") from None

        source = lines()
        reader = csv.reader(source, strict=True)
        header = next(reader, None)
        if header is None and tail and header_line.encode().startswith(tail):
            raise CutShort(path, 1)
        if header is None or tuple(header) != COLUMNS:
            written = header or next(csv.reader([tail.decode("utf-8", "replace")]), [])
            found = ", ".join(written) if written else "nothing"
            raise TableError(f"{path}:1: expected the columns {', '.join(COLUMNS)}; found {found}")
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader, None)
            except csv.Error as exc:
                if next(source, None) is None:  # the file ends inside a quoted cell
                    raise CutShort(path, start) from None
                raise TableError(f"{path}:{start}: cannot read this row: {exc}") from None
            if cells is None:
                break
            if cells:  # a blank line holds no row
                yield _row(path, start, cells)
        if tail:
            raise CutShort(path, reader.line_num + 1)


def _row(path: Path, line: int, cells: list[str]) -> Row:
    """One CSV row as written by :class:`TableWriter`, or a located error."""
    if len(cells) != len(COLUMNS):
        raise TableError(
            f"{path}:{line}: expected {len(COLUMNS)} cells, one per column; found {len(cells)}"
        )
    c: list[Any] = [x if x != "" else None for x in cells]
    for i, kind, expected in ((6, float, "a number"), (8, int, "a whole number")):
        if c[i] is not None:
            try:
                c[i] = kind(c[i])
            except ValueError:
                raise TableError(
                    f"{path}:{line}: {COLUMNS[i]}: expected {expected} or nothing; found {c[i]!r}"
                ) from None
    for i in (0, 1, 2, 3, 4, 5, 9):
        c[i] = c[i] or ""
    return Row(*c)


def _read_parquet(path: Path) -> Iterator[Row]:
    pq = _pyarrow().parquet
    file = pq.ParquetFile(path)
    if tuple(file.schema_arrow.names) != COLUMNS:
        raise ValueError(f"expected the columns {', '.join(COLUMNS)}")
    for batch in file.iter_batches(batch_size=ROW_GROUP):
        columns = [batch.column(i).to_pylist() for i in range(len(COLUMNS))]
        for values in zip(*columns, strict=True):
            yield Row(*values)
