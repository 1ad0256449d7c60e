"""Located problems in scenario files, reported all at once.

A :class:`Problem` prints as ``FILE:LINE:COL: dotted.path: message``, the form
editors and CI logs understand.  :class:`ScenarioError` carries every problem
found in one run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from sroi.text import printable

#: Path shown for problems that belong to the document as a whole.
DOCUMENT = "(document)"


class Mark(NamedTuple):
    """A position in a file: 1-based line and column.  Marks sort by file, then
    line, then column.  (A named tuple: a parsed file makes thousands.)"""

    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, and where it is written."""

    mark: Mark
    path: str
    message: str

    def __str__(self) -> str:
        """One line, with every character of the file name, path or message
        that does not print escaped (:func:`sroi.text.printable`): a key
        written ``"\\e[2J"`` shows as ``\\x1b[2J``, a line break as ``\\n``."""
        m = self.mark
        return printable(f"{m.file}:{m.line}:{m.column}: {self.path}: {self.message}")


class Clash(ValueError):
    """A rule broken by keys set together in one mapping (``risk_with`` and
    ``relative_risk``).  ``keys`` name them, in the mapping the failing model
    validates, or with ``sibling`` true, in the mapping that holds the failing
    field; the problem then says which of them a file inherits, and where."""

    def __init__(self, message: str, keys: tuple[str, ...], *, sibling: bool = False) -> None:
        super().__init__(message)
        self.keys, self.sibling = keys, sibling


class ScenarioError(Exception):
    """Raised when scenario files are invalid; holds every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def dotted(path: tuple[str | int, ...]) -> str:
    """``("outcomes", "x", "proxy")`` -> ``"outcomes.x.proxy"``; lists as ``ramp[2]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or DOCUMENT
