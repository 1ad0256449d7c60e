"""Everything the command line prints is shown safely on a terminal.

While a command runs, standard output and standard error are wrapped so that
every character that does not print, other than the line feeds the program
writes, reaches them escaped (:func:`sroi.text.printable`): an ESC or BEL in
a scenario name, a key, a file name, a sweep's area or a command-line
argument shows as ``\\x1b`` or ``\\x07`` and never recolours, retitles or
clears the terminal.  JSON output is unchanged: it escapes every such
character itself.  A progress bar, whose carriage return is the program's
own, writes to the stream beneath (:func:`unescaped`).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO, cast

from sroi.text import printable_lines


class EscapedStream:
    """A text stream that writes to ``unescaped`` what it is given, with every
    character that does not print escaped except line feeds."""

    def __init__(self, stream: TextIO) -> None:
        self.unescaped = stream

    def write(self, text: str) -> int:
        self.unescaped.write(printable_lines(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        # flush, fileno, isatty, encoding, ...: the stream's own
        return getattr(self.unescaped, name)


@contextlib.contextmanager
def escaped_output() -> Iterator[None]:
    """Standard output and standard error escaped (:class:`EscapedStream`)
    inside the block, and put back as they were after it."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None:
        sys.stdout = cast(TextIO, EscapedStream(sys.stdout))
    if sys.stderr is not None:
        sys.stderr = cast(TextIO, EscapedStream(sys.stderr))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def unescaped(stream: TextIO) -> TextIO:
    """The stream beneath an :class:`EscapedStream` (any other stream as it
    is): for what the program writes with control characters of its own."""
    return stream.unescaped if isinstance(stream, EscapedStream) else stream
