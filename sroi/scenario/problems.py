"""Located problems in scenario files, reported all at once.

A :class:`Problem` prints as ``FILE:LINE:COL: dotted.path: message``, the form
editors and CI logs understand.  :class:`ScenarioError` carries every problem
found in one run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

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
        m = self.mark
        return _one_line(f"{m.file}:{m.line}:{m.column}: {self.path}: {self.message}")


class ScenarioError(Exception):
    """Raised when scenario files are invalid; holds every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _one_line(text: str) -> str:
    """One problem, one line: line breaks (e.g. in a quoted key) are shown escaped."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def dotted(path: tuple[str | int, ...]) -> str:
    """``("outcomes", "x", "proxy")`` -> ``"outcomes.x.proxy"``; lists as ``ramp[2]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or DOCUMENT
