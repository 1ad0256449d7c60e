"""Read a sweep's grid (areas) and designs: rows of overrides by dotted path.

A **grid** is a CSV or YAML file with one case per row or entry: an ``area``
(or ``case``) column naming it, and columns named by dotted paths
(``delivery.referrals_per_year``) holding numbers or value forms of the
scenario language.  In a CSV cell a value form is written in YAML flow
style, ``{pert: [60, 90, 130], evidence: assumption}``; an empty cell leaves
the value as it is.  A YAML grid is a mapping with one key, ``cases``, holding
a list of such entries; an entry may also carry a ``note``.

A **designs** file is a YAML mapping with one key, ``designs``: design name
(snake_case) -> dotted path -> value, plus an optional ``note``.

Every problem is collected and located (``FILE:LINE:COL``), never raised
one at a time.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sroi.files import read_failure
from sroi.scenario.errors import did_you_mean
from sroi.scenario.problems import Mark, Problem, ScenarioError, dotted
from sroi.scenario.strict import printable_text
from sroi.scenario.yamlio import Document, not_utf8, parse_yaml, read_yaml
from sroi.text import quoted_short

#: Columns of a grid that name the case rather than set a value.
NAME_COLUMNS = ("area", "case")
#: Keys of a grid entry or design that document it rather than set a value.
NOTE_KEY = "note"
#: Top-level key of a YAML grid.
GRID_KEY = "cases"
#: Top-level key of a designs file.
DESIGNS_KEY = "designs"

#: What a designs file holds, for the problems of a file that is not one.
DESIGNS_FORM = (
    "a YAML mapping with one top-level key, 'designs': design name -> dotted path -> value "
    "(see docs/sweeps.md)"
)
#: What a YAML grid holds, likewise.
GRID_FORM = (
    "a YAML mapping with one top-level key, 'cases': a list of cases, each with an 'area' "
    "and values by dotted path (see docs/sweeps.md)"
)

#: An area's name: a letter or digit (any script) first, so a spreadsheet
#: never reads it as a formula; then letters, digits, spaces and _ - & . ' , ( ),
#: never "/", which separates the parts of a case id.
_NAME = re.compile(r"^[^\W_][\w\- &.',()]*$")
#: What to do about a YAML grid past the parser's limits.
_GRID_LARGE = (
    "a YAML grid holds a few thousand rows at most: write a larger one as CSV "
    "(docs/sweeps.md), which has no such limit"
)
#: Longest area name [characters].
MAX_NAME = 100
#: What an area name may hold, for messages.
_NAME_RULE = (
    "a letter or digit, then letters, digits, spaces and _ - & . ' , ( ), "
    f"at most {MAX_NAME} characters"
)
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
#: Suffixes of tables, which a grid may be and a designs file may not.
_TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xls", ".parquet")


@dataclass(frozen=True)
class Overrides:
    """One row of a grid or one design: a name and values by dotted path.

    name : str
        Area (or case) name, or design name.
    values : dict
        Dotted path -> number or value mapping, as written.
    marks : dict
        Dotted path -> where it is written.
    origin : Mark
        Where the row or design starts (its line is the row number).
    note : str or None
        Free text about the row.
    """

    name: str
    values: dict[str, Any] = field(default_factory=dict)
    marks: dict[str, Mark] = field(default_factory=dict)
    origin: Mark = field(default_factory=lambda: Mark("<none>", 1, 1))
    note: str | None = None


def read_grid(path: str | os.PathLike[str]) -> list[Overrides]:
    """The rows of a CSV or YAML grid, in file order.

    Raises
    ------
    ScenarioError
        With every problem in the file, located.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        rows, problems = _read_csv(path)
    else:
        rows, problems = _read_yaml_list(path)
    problems += _unique(rows, "area")
    if problems:
        raise ScenarioError(problems)
    return rows


def read_designs(path: str | os.PathLike[str]) -> list[Overrides]:
    """The designs of a designs file, in file order.

    Raises
    ------
    ScenarioError
        With every problem in the file, located.
    """
    path = Path(path)
    if path.suffix.lower() in _TABLE_SUFFIXES:
        raise ScenarioError(
            [
                Problem(
                    Mark(str(path), 1, 1),
                    "(document)",
                    f"a designs file is YAML, not a {path.suffix.lower()[1:].upper()} table: "
                    f"expected {DESIGNS_FORM}; a CSV table of areas is a grid (--grid)",
                )
            ]
        )
    doc = read_yaml(
        path,
        str(path),
        kind="a designs file",
        top=DESIGNS_FORM,
        large="a designs file needs far fewer",
    )
    problems = list(doc.problems)
    designs: list[Overrides] = []
    if not problems:
        body = _top(doc, DESIGNS_KEY, dict, "a mapping of design name -> values", problems)
        for name, entry in (body or {}).items():
            at = (DESIGNS_KEY, name)
            if not _SNAKE.match(name):
                problems.append(
                    Problem(
                        doc.mark(at, key=True),
                        f"{DESIGNS_KEY}.{name}",
                        "expected a snake_case design name (lower-case letters, digits and _); "
                        f"found {name!r}",
                    )
                )
                continue
            designs.append(_entry(doc, at, name, entry, problems))
        if body is not None and not body:
            problems.append(Problem(doc.mark((DESIGNS_KEY,)), DESIGNS_KEY, "no designs given"))
    if problems:
        raise ScenarioError(problems)
    return designs


def _top(doc: Document, key: str, kind: type, expected: str, problems: list[Problem]) -> Any | None:
    data = doc.data
    what = "a designs file" if key == DESIGNS_KEY else "a grid"
    other = GRID_KEY if key == DESIGNS_KEY else DESIGNS_KEY
    hint = (
        f"; a file of {GRID_KEY!r} is a grid (--grid)"
        if key == DESIGNS_KEY
        else f"; a file of {DESIGNS_KEY!r} is a designs file (--design)"
    )
    if not isinstance(data, dict) or key not in data:
        found = list(data) if isinstance(data, dict) else []
        keys = ", ".join(repr(k) for k in found)
        problems.append(
            Problem(
                doc.mark(()),
                "(document)",
                f"expected one top-level key {key!r}; "
                + (
                    f"found {'the key' if len(found) == 1 else 'the keys'} {keys}"
                    if found
                    else "found none"
                )
                + (
                    hint
                    if other in found
                    else did_you_mean(found[0], [key])
                    if len(found) == 1
                    else ""
                ),
            )
        )
        return None
    extra = [k for k in data if k != key]
    for k in extra:
        problems.append(
            Problem(
                doc.mark((k,), key=True),
                k,
                f"unknown top-level key {k!r}; {what} has one top-level key, {key!r}"
                + (hint if k == other else ""),
            )
        )
    if not isinstance(data[key], kind):
        problems.append(Problem(doc.mark((key,)), key, f"expected {expected}"))
        return None
    return data[key]


def _note(
    doc: Document, at: tuple[str | int, ...], value: Any, problems: list[Problem]
) -> str | None:
    """A grid entry's or design's ``note``: text, printable as a scenario's
    notes are (``None`` when it is not given or not text)."""
    where = doc.mark((*at, NOTE_KEY))
    path = dotted((*at, NOTE_KEY))
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(Problem(where, path, f"expected text; found {_kind_of(value)}"))
        return None
    try:
        return printable_text(value)
    except ValueError as exc:
        problems.append(Problem(where, path, str(exc)))
        return None


def _kind_of(value: Any) -> str:
    """What a YAML value is, in words, for a message that expected text.

    >>> _kind_of(True), _kind_of(float("inf")), _kind_of([1]), _kind_of({"a": 1})
    ('true', 'a number', 'a list', 'a mapping')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "a mapping" if isinstance(value, dict) else "a value that is not text"


def _entry(
    doc: Document, at: tuple[str | int, ...], name: str, entry: Any, problems: list[Problem]
) -> Overrides:
    """Values of one design or grid entry (name keys already taken out)."""
    where = doc.mark(at)
    if not isinstance(entry, dict):
        problems.append(
            Problem(where, ".".join(map(str, at)), "expected a mapping of dotted path -> value")
        )
        return Overrides(name, origin=where)
    values: dict[str, Any] = {}
    marks: dict[str, Mark] = {}
    note = None
    for key, value in entry.items():
        if key in NAME_COLUMNS:
            continue
        if key == NOTE_KEY:
            note = _note(doc, at, value, problems)
            continue
        values[key] = value
        marks[key] = doc.mark((*at, key))
    return Overrides(name, values, marks, where, note)


def _read_yaml_list(path: Path) -> tuple[list[Overrides], list[Problem]]:
    doc = read_yaml(path, str(path), kind="a grid file", top=GRID_FORM, large=_GRID_LARGE)
    problems = list(doc.problems)
    rows: list[Overrides] = []
    if problems:
        return rows, problems
    body = _top(doc, GRID_KEY, list, "a list of cases, each with an area", problems)
    for i, entry in enumerate(body or []):
        at: tuple[str | int, ...] = (GRID_KEY, i)
        name = _name_of(entry)
        if name is None:
            problems.append(
                Problem(
                    doc.mark(at),
                    f"{GRID_KEY}[{i}]",
                    f"expected an 'area' (or 'case') naming this case: {_NAME_RULE}",
                )
            )
            continue
        rows.append(_entry(doc, at, name, entry, problems))
    if body is not None and not body:
        problems.append(Problem(doc.mark((GRID_KEY,)), GRID_KEY, "no cases given"))
    return rows, problems


def _name_of(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return None
    names = [entry[k] for k in NAME_COLUMNS if k in entry]
    if len(names) != 1:
        return None
    name = str(names[0]).strip()
    return name if _is_name(name) else None


def _is_name(name: str) -> bool:
    """True for an area name that keeps to :data:`_NAME_RULE`.

    >>> [_is_name(n) for n in ("Ynys Môn", "Brighton & Hove", "King's Lynn", "=1+1", "a/b")]
    [True, True, True, False, False]
    """
    return len(name) <= MAX_NAME and _NAME.match(name) is not None


def _unreadable_row(file: str, line: int, exc: csv.Error) -> Problem:
    """A grid row the CSV reader cannot read, in words (a cell past the
    reader's size limit, most likely a runaway quoted cell)."""
    why = str(exc)
    if "field larger than field limit" in why:
        why = (
            f"a cell is longer than {csv.field_size_limit():,} characters (check for a "
            'double quote (") that opens a cell and is never closed)'
        )
    return Problem(Mark(file, line, 1), "(row)", f"cannot read this row: {why}")


def _read_csv(path: Path) -> tuple[list[Overrides], list[Problem]]:
    file = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [not_utf8(exc, file, "(document)")]
    except OSError as exc:
        why = read_failure(exc)
        return [], [Problem(Mark(file, 1, 1), "(document)", f"cannot read the grid: {why}")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [_unreadable_row(file, 1, exc)]
    problems: list[Problem] = []
    if not header:
        return [], [Problem(Mark(file, 1, 1), "(document)", "the grid is empty")]
    header = [h.strip() for h in header]
    names = [i for i, h in enumerate(header) if h in NAME_COLUMNS]
    if len(names) != 1:
        problems.append(
            Problem(
                Mark(file, 1, 1),
                "(header)",
                f"expected exactly one column named 'area' or 'case'; found columns {header}",
            )
        )
        return [], problems
    first: dict[str, int] = {}
    for col, key in enumerate(header, start=1):
        if key and key in first:
            problems.append(
                Problem(
                    Mark(file, 1, col),
                    key,
                    f"column {key!r} is given twice, here and in column {first[key]}; "
                    "give each path one column",
                )
            )
        first.setdefault(key, col)
    if problems:
        return [], problems
    rows: list[Overrides] = []
    line = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(_unreadable_row(file, line + 1, exc))
            break
        start, line = line + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        origin = Mark(file, start, 1)
        if len(cells) != len(header):
            problems.append(
                Problem(
                    origin,
                    "(row)",
                    f"expected {len(header)} cells, one per column; found {len(cells)} "
                    '(put a value with commas in double quotes: "{pert: [1, 2, 3]}")',
                )
            )
            continue
        name = cells[names[0]].strip()
        if not _is_name(name):
            problems.append(
                Problem(
                    origin,
                    header[names[0]],
                    f"expected a name of {_NAME_RULE}; found {quoted_short(name)}",
                )
            )
            continue
        values: dict[str, Any] = {}
        marks: dict[str, Mark] = {}
        for col, (key, cell) in enumerate(zip(header, cells, strict=True)):
            if col == names[0] or not cell.strip():
                continue
            mark = Mark(file, start, col + 1)
            if key == NOTE_KEY:
                continue
            parsed = parse_yaml(f"v: {cell.strip()}", file)
            if parsed.problems or not isinstance(parsed.data, dict):
                problems.append(
                    Problem(
                        mark,
                        key,
                        f"expected a number or a value such as {{pert: [low, mode, high]}}; "
                        f"cannot read {cell.strip()!r}",
                    )
                )
                continue
            values[key] = parsed.data["v"]
            marks[key] = mark
        rows.append(Overrides(name, values, marks, origin))
    if not rows and not problems:
        problems.append(Problem(Mark(file, 1, 1), "(document)", "no cases given"))
    return rows, problems


def _unique(rows: list[Overrides], what: str) -> list[Problem]:
    seen: dict[str, Mark] = {}
    problems = []
    for row in rows:
        if row.name in seen:
            problems.append(
                Problem(
                    row.origin,
                    what,
                    f"{what} {row.name!r} is already used at line {seen[row.name].line}; "
                    "names must be unique",
                )
            )
        seen.setdefault(row.name, row.origin)
    return problems
