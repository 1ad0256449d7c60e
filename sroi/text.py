"""Text from files and command lines, shown safely on a terminal.

Scenario files, the keys and file names in them, sweep grids and
command-line arguments can all hold control characters: ESC starts the
sequences that recolour, retitle or clear a terminal, BEL rings it, CR and
backspace write over what is already on the line.  A YAML file can write any
of them as an escape (``"\\e"``, ``"\\x07"``), so refusing them as raw bytes
is not enough.

:func:`printable` shows every character that does not print as Python writes
it in a string (``\\x1b``, ``\\x07``, ``\\r``, ``\\u202e``), so that what reaches
the terminal is only what sroi itself writes.  The command line passes all
it prints through it (:mod:`sroi.cli.terminal`), and so does every located
problem in a scenario file (:class:`sroi.scenario.problems.Problem`).
:func:`control_character` finds the characters scenario text may not hold
at all.
"""

from __future__ import annotations

import re
import unicodedata

#: The control characters refused in text: Unicode's category Cc (C0, DEL
#: and C1) and the bidirectional embedding, override and isolate controls.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Characters with a short escape of their own.
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str) -> str:
    """``text`` with every character that does not print escaped: the C0 and
    C1 control characters, DEL, line breaks and tabs, and Unicode's other
    characters that print nothing of their own (format characters such as the
    bidirectional overrides, line and paragraph separators, unassigned code
    points).  Letters of every script and the plain space are kept.

    >>> printable("Corpus\\x1b[31mred\\x07")
    'Corpus\\\\x1b[31mred\\\\x07'
    >>> printable("two\\nlines, café, ±2%")
    'two\\\\nlines, café, ±2%'
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def printable_lines(text: str) -> str:
    """:func:`printable`, but line feeds are kept: for text whose line breaks
    the program wrote itself."""
    return "\n".join(printable(line) for line in text.split("\n"))


def _escape(c: str) -> str:
    if c in _SHORT:
        return _SHORT[c]
    n = ord(c)
    if n < 0x100:
        return f"\\x{n:02x}"
    if n < 0x10000:
        return f"\\u{n:04x}"
    return f"\\U{n:08x}"


def control_character(text: str, allowed: str = "") -> str | None:
    """The first control character of ``text`` that is not in ``allowed``,
    or None: C0, DEL or C1 (Unicode's category Cc), or a bidirectional
    embedding, override or isolate control (U+202A to U+202E, U+2066 to
    U+2069), which can make text display in another order than it reads.
    Right-to-left scripts need none of these.

    >>> control_character("a\\tb\\x1b"), control_character("a\\tb", allowed="\\t")
    ('\\t', None)
    >>> control_character("Hackney \\u202e1.5"), control_character("\\u05e9\\u05dc\\u05d5\\u05dd")
    ('\\u202e', None)
    """
    for found in _CONTROL.finditer(text):
        if found.group() not in allowed:
            return found.group()
    return None


def describe_character(c: str) -> str:
    """A character by its code point and, when it has one, its name:
    ``U+001B (escape)``.

    >>> describe_character("\\x07"), describe_character("\\u202e")
    ('U+0007 (bell)', 'U+202E (right-to-left override)')
    """
    name = _CONTROL_NAMES.get(c) or unicodedata.name(c, "").lower()
    return f"U+{ord(c):04X}" + (f" ({name})" if name else "")


#: Names of the control characters most often met (Unicode gives control
#: characters no name of their own).
_CONTROL_NAMES = {
    "\x00": "null",
    "\x07": "bell",
    "\x08": "backspace",
    "\t": "tab",
    "\n": "line feed",
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\r": "carriage return",
    "\x1b": "escape",
    "\x7f": "delete",
    "\x85": "next line",
    "\x9b": "control sequence introducer",
}


def draws_count(n: int) -> str:
    """A number of draws in words, with thousands separators.

    >>> draws_count(1), draws_count(10_000)
    ('1 draw', '10,000 draws')
    """
    return f"{n:,} draw" if n == 1 else f"{n:,} draws"


def quoted_short(text: str, limit: int = 60) -> str:
    """``text`` quoted as Python writes it, cut to ``limit`` characters with
    "..." and its length when longer.

    >>> quoted_short("Oxford"), quoted_short("x" * 500, 10)
    ("'Oxford'", "'xxxxxxx...' (500 characters)")
    """
    if len(text) <= limit:
        return repr(text)
    return f"{text[: limit - 3] + '...'!r} ({len(text):,} characters)"
