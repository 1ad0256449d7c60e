"""Safe YAML reading that remembers where every key and value is written.

Only plain data is accepted: mappings with string keys, lists, strings,
numbers, booleans and null.  Any other tag (``!!python/object/...``) is refused
and never constructed.  Plain scalars are typed by the YAML 1.2 core schema:
``010`` is ten, ``1e3`` is a thousand, ``0x1F`` and ``0o17`` are numbers, and
the YAML 1.1 forms (``0b101``, sexagesimal ``1:30``, ``1_000``, ``yes``/``no``)
are text.  Limits keep hostile files cheap to refuse:

* a file larger than :data:`MAX_FILE_BYTES` is refused before parsing;
* while the file is parsed, before any node is built, more than
  :data:`MAX_NODES` nodes, more than :data:`MAX_KEYS` keys in one mapping, or
  nesting deeper than :data:`MAX_DEPTH` is refused at the place it happens;
* aliases may not expand the document beyond :data:`MAX_NODES` nodes
  ("billion laughs"), checked on the composed node graph without expanding it.

The last few documents parsed are kept, keyed by their text and the name they
are shown under, so a base that several scenarios ``extends`` is parsed once
per run; each caller gets its own copy.
"""

from __future__ import annotations

import math
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sroi.files import read_failure
from sroi.limits import MAX_MAGNITUDE, MIN_MAGNITUDE
from sroi.scenario.kept import Kept
from sroi.scenario.problems import Mark, Problem, dotted

#: Largest scenario file accepted [bytes].
MAX_FILE_BYTES = 1_000_000
#: Most nodes a document may hold, aliases expanded [nodes]; the largest bundled
#: file holds about 1,500.
MAX_NODES = 20_000
#: Deepest nesting of mappings and lists accepted [levels].
MAX_DEPTH = 50
#: Most keys one mapping may hold [keys]; a scenario's largest has a few dozen.
MAX_KEYS = 500
#: Parsed documents kept for reuse [documents]; each holds at most
#: :data:`MAX_FILE_BYTES` of text and :data:`MAX_NODES` nodes.
PARSED_KEPT = 8

#: What to do about a scenario file past the limits.
SCENARIO_LARGE = "a scenario needs far fewer"

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("null", "bool", "int", "float", "str")}
_TIMESTAMP = _TAG + "timestamp"
_STR, _SEQ, _MAP = _TAG + "str", _TAG + "seq", _TAG + "map"
#: Tags a scalar may carry (on a value; a key's must be one of _SCALAR_TAGS).
_SCALAR_PLAIN_TAGS = {*_SCALAR_TAGS, _TIMESTAMP}

#: YAML 1.2 core schema: the plain scalars that are not text, with the first
#: characters each can start with ("" for the empty scalar, which is null).
_CORE_RESOLVERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("null", r"^(?:~|null|Null|NULL|)$", ("~", "n", "N", "")),
    # Not YAML 1.2, but recognised so that `<<` gets its own message.
    ("merge", r"^(?:<<)$", ("<",)),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", tuple("tTfF")),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", tuple("-+0123456789")),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        tuple("-+0123456789."),
    ),
)


def _implicit_resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """The tags of plain scalars by their first character, as PyYAML's
    ``yaml_implicit_resolvers``: (tag, pattern) in the order tried."""
    resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for name, pattern, starts in _CORE_RESOLVERS:
        regexp = re.compile(pattern)
        for ch in starts:
            resolvers.setdefault(ch, []).append((_TAG + name, regexp))
    return resolvers


_RESOLVERS = _implicit_resolvers()


def _core_loader() -> type:
    """PyYAML's safe loader (the C one when built) typing plain scalars by the
    YAML 1.2 core schema instead of YAML 1.1's."""
    base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return type("CoreLoader", (base,), {"yaml_implicit_resolvers": _RESOLVERS})


_Loader: type = _core_loader()
_TAG_WORDS = {
    _TAG + "int": "a whole number",
    _TAG + "float": "a number",
    _TAG + "bool": "true or false",
}
#: Tags each kind of node may carry.  Any other tag (``!!python/object/apply:...``
#: on a list, ``!!set``, ``!local``) is refused.
_PLAIN_TAGS: dict[type, set[str]] = {
    ScalarNode: _SCALAR_PLAIN_TAGS,
    SequenceNode: {_SEQ},
    MappingNode: {_MAP},
}

Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed file: plain data plus the position of every key and value."""

    file: str
    data: Any
    #: Position of the value at each path.
    values: dict[Path_, Mark] = field(default_factory=dict)
    #: Position of the key of each mapping entry.
    keys: dict[Path_, Mark] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def mark(self, path: Path_, *, key: bool = False) -> Mark:
        """Where to point for a problem at ``path``: its key (``key=True``) or
        value, else the nearest enclosing entry that is written somewhere."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        for n in range(len(path), -1, -1):
            if path[:n] in self.values:
                return self.values[path[:n]]
        return Mark(self.file, 1, 1)


def _mark(file: str, node_or_mark: Any) -> Mark:
    m = getattr(node_or_mark, "start_mark", node_or_mark)
    return Mark(file, m.line + 1, m.column + 1)


def read_yaml(
    path: Path,
    display: str | None = None,
    *,
    kind: str = "a scenario file",
    top: str | None = None,
    large: str = SCENARIO_LARGE,
) -> Document:
    """Read one YAML file safely.  Problems are collected, never raised.

    ``kind`` names what the file should be (``"a designs file"``) and ``top``
    what its top level should hold, for the problems of a file that is not
    one; by default, a scenario file.  ``large`` says what to do about a
    file past the limits on nodes and keys.
    """
    return _copy(read_kept(path, display, kind=kind, top=top, large=large))


def read_kept(
    path: Path,
    display: str | None = None,
    *,
    kind: str = "a scenario file",
    top: str | None = None,
    large: str = SCENARIO_LARGE,
) -> Document:
    """:func:`read_yaml`, but a parsed document may be the one kept for reuse:
    the caller must not change it (nor its data, tables or problems)."""
    file = display or str(path)
    doc = Document(file, None)
    start = Mark(file, 1, 1)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            doc.problems.append(Problem(start, dotted(()), f"expected {kind}; it is {what}"))
            return doc
        size = info.st_size
        if size > MAX_FILE_BYTES:
            doc.problems.append(
                Problem(
                    start,
                    dotted(()),
                    f"expected a file of at most {MAX_FILE_BYTES:,} bytes; found {size:,} bytes",
                )
            )
            return doc
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        doc.problems.append(not_utf8(exc, file))
        return doc
    except OSError as exc:
        doc.problems.append(Problem(start, dotted(()), f"cannot read file: {read_failure(exc)}"))
        return doc
    return _kept(text, file, top, large)


def not_utf8(exc: UnicodeDecodeError, file: str, path: str = dotted(())) -> Problem:
    """The problem of a file that is not UTF-8 text, located at the first
    byte that is not (line and byte column), naming the byte and the fix."""
    data, at = exc.object, exc.start
    where = Mark(file, data.count(b"\n", 0, at) + 1, at - data.rfind(b"\n", 0, at))
    return Problem(
        where,
        path,
        f"expected UTF-8 text; found the byte 0x{data[at]:02X} ({exc.reason}); "
        "save the file as UTF-8",
    )


def parse_yaml(
    text: str, file: str, *, top: str | None = None, large: str = SCENARIO_LARGE
) -> Document:
    """Parse YAML text; see :func:`read_yaml`.  The same ``text``, ``file``,
    ``top`` and ``large`` give an equal document, which the caller may
    change freely."""
    return _copy(_kept(text, file, top, large))


def _kept(text: str, file: str, top: str | None, large: str) -> Document:
    """The parsed document of ``text``, kept for reuse: never to be changed."""
    key = (file, text, top, large)
    kept = _PARSED.get(key)
    if kept is None:
        kept = _parse(text, file, top, large)
        _PARSED.put(key, kept)
    return kept


_PARSED: Kept[tuple[str, str, str | None, str], Document] = Kept(PARSED_KEPT)


def _copy(doc: Document) -> Document:
    """A copy of ``doc`` that shares nothing mutable with it (marks, problems,
    keys and scalars are immutable)."""
    return Document(
        doc.file, _copy_data(doc.data), dict(doc.values), dict(doc.keys), [*doc.problems]
    )


def _copy_data(x: Any) -> Any:
    # Only mappings and lists are copied (a call each): every other value is
    # immutable and taken as it is, without a call.
    if isinstance(x, dict):
        return {k: _copy_data(v) if isinstance(v, _MUTABLE) else v for k, v in x.items()}
    if isinstance(x, list):
        return [_copy_data(v) if isinstance(v, _MUTABLE) else v for v in x]
    return x


_MUTABLE = (dict, list)


#: Said of a file that reads as UTF-16 without its byte order mark.
_UTF16_HINT = "; the file looks like UTF-16 text (every other byte is 0): save it as UTF-8"


#: Characters PyYAML reads as line breaks that editors do not show as such
#: (YAML 1.1; YAML 1.2 no longer counts them), by name.
HIDDEN_BREAKS = {"\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}


def _hidden_break(text: str, file: str) -> Problem | None:
    """A problem at the first of :data:`HIDDEN_BREAKS` in ``text``, or None.

    The parser would start a new line there, so a key after it would be read
    out of place (a comment's second half as a key) and every line number
    after it would be one more than the editor shows."""
    found = [at for at in (text.find(c) for c in HIDDEN_BREAKS) if at >= 0]
    if not found:
        return None
    at = min(found)
    before = text[:at]
    where = Mark(file, before.count("\n") + 1, at - before.rfind("\n"))
    char = text[at]
    return Problem(
        where,
        dotted(()),
        f"found U+{ord(char):04X} ({HIDDEN_BREAKS[char]}), which YAML reads as a line break "
        "that editors do not show; delete it, or press Enter there for a new line",
    )


def _looks_utf16(text: str) -> bool:
    """Whether ``text`` (read as UTF-8) is UTF-16 without a byte order mark:
    a NUL in every other place of its start, as UTF-16 writes ASCII text."""
    head = text[:200]
    return len(head) >= 4 and any(head[i::2].count("\x00") >= 0.9 * len(head[i::2]) for i in (0, 1))


def _parse(
    text: str,
    file: str,
    top: str | None = None,
    large: str = SCENARIO_LARGE,
    *,
    direct: bool = True,
) -> Document:
    """The document of ``text``.  A plain document (see :func:`_prescan`) is
    built straight from the parser's events; any other, or every one when
    ``direct`` is false, from the node graph PyYAML composes, with the same
    result."""
    doc = Document(file, None)
    start = Mark(file, 1, 1)
    hidden = _hidden_break(text, file)
    if hidden is not None:
        doc.problems.append(hidden)
        return doc
    try:
        refused, built = _prescan(text, file, large, direct)
        if refused is not None:
            doc.problems.append(refused)
            return doc
        if built is not None:
            return built
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        doc.problems.append(_syntax_problem(exc, text, file))
        return doc
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        where = Mark(file, before.count("\n") + 1, exc.position - before.rfind("\n"))
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        doc.problems.append(
            Problem(
                where,
                dotted(()),
                f"expected printable text; found the control character U+{ord(char):04X}"
                + (_UTF16_HINT if char == "\x00" and _looks_utf16(text) else ""),
            )
        )
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(start, dotted(()), f"YAML error: {exc}"))
        return doc
    except RecursionError:
        doc.problems.append(
            Problem(start, dotted(()), f"nesting is deeper than {MAX_DEPTH} levels")
        )
        return doc
    if node is None:
        doc.problems.append(
            Problem(start, dotted(()), f"the file is empty; expected {top or 'a scenario mapping'}")
        )
        return doc
    if not isinstance(node, MappingNode):
        doc.problems.append(
            Problem(
                _mark(file, node),
                dotted(()),
                f"expected {top or 'a mapping of scenario keys at the top level'}; "
                f"found {_top_kind(node)}",
            )
        )
        return doc
    problem = _check_size(node, file)
    if problem is not None:
        doc.problems.append(problem)
        return doc
    doc.values[()] = _mark(file, node)
    doc.data = _build(node, (), doc)
    return doc


def _prescan(
    text: str, file: str, large: str = SCENARIO_LARGE, build: bool = True
) -> tuple[Problem | None, Document | None]:
    """Walk the parser's events, before any node is built, and refuse a file
    with too many nodes, a mapping with too many keys, or too deep a nesting,
    at the place where the limit is passed: ``(problem, None)``.

    With ``build``, the document is built from the same events when it is a
    plain one, and returned as ``(None, document)``: a single document whose
    top level is a mapping, with no anchor nor alias, no tag other than the
    plain ones and only text keys (no ``<<``).  It is the document
    :func:`_build` makes of the composed nodes, problems included: with no
    alias, the limits above are the only ones :func:`_check_size` could find
    passed.  ``(None, None)`` when the file passes the limits but is not plain
    (or ``build`` is false): compose it."""
    nodes = 0
    #: Per open collection: [is a mapping, children seen, its data, its path,
    #: the position of each key seen (a mapping), the path of the entry whose
    #: value comes next (a mapping)].
    stack: list[list[Any]] = []
    documents = 0
    values: dict[Path_, Mark] = {}
    keys: dict[Path_, Mark] = {}
    problems: list[Problem] = []
    data: Any = None
    child: Path_ = ()
    resolvers = _RESOLVERS
    scalar_event, mapping_event = yaml.ScalarEvent, yaml.MappingStartEvent
    new = tuple.__new__  # a Mark without the Python-level call of Mark(...)
    loader = _Loader(text)  # as yaml.parse, without a generator's step per event
    next_event = loader.get_event  # None after the last event, as check_event is false
    most_nodes, most_children, deepest = MAX_NODES, 2 * MAX_KEYS, MAX_DEPTH
    try:
        while (event := next_event()) is not None:
            kind = event.__class__
            if kind in _END_EVENTS:
                stack.pop()
                continue
            if kind not in _NODE_EVENTS:
                if kind is yaml.DocumentStartEvent:
                    documents += 1
                    build = build and documents == 1
                continue
            parent = None
            if stack:
                parent = stack[-1]
                parent[1] += 1
                if parent[0] and parent[1] > most_children:
                    return Problem(
                        _mark(file, event),
                        dotted(()),
                        f"a mapping holds more than {MAX_KEYS:,} keys, so the file was not "
                        f"read further; {large}",
                    ), None
            if kind is yaml.AliasEvent:
                build = False
                continue
            nodes += 1
            if nodes > most_nodes:
                return Problem(
                    _mark(file, event),
                    dotted(()),
                    f"the file holds more than {MAX_NODES:,} values, keys and list items, so "
                    f"it was not read further; {large}",
                ), None
            if len(stack) > deepest:
                return Problem(
                    _mark(file, event), dotted(()), f"nesting is deeper than {MAX_DEPTH} levels"
                ), None
            value: Any = None
            if build and event.anchor is None:
                # The tag PyYAML's composer gives the node (BaseResolver.resolve).
                tag = event.tag
                if kind is scalar_event:
                    text_ = event.value
                    if tag is None or tag == "!":
                        tag = _STR
                        if event.implicit[0]:
                            for implied, regexp in resolvers.get(text_[:1], ()):
                                if regexp.match(text_):
                                    tag = implied
                                    break
                elif tag is None or tag == "!":
                    tag = _MAP if kind is mapping_event else _SEQ
                m = event.start_mark
                mark = new(Mark, (file, m.line + 1, m.column + 1))
                if parent is None:  # the top level
                    if tag == _MAP and kind is mapping_event:
                        values[()] = mark
                        data = value = {}
                        child = ()
                    else:
                        build = False
                elif parent[0] and parent[1] & 1:  # a key
                    if kind is scalar_event and tag in _SCALAR_TAGS:
                        child = (*parent[3], text_)
                        first = parent[4]
                        if text_ in first:
                            problems.append(
                                Problem(
                                    mark,
                                    dotted(child),
                                    f"duplicate key {text_!r}; it is already set at line "
                                    f"{first[text_].line}",
                                )
                            )
                        first[text_] = mark
                        keys[child] = mark
                        parent[5] = child
                    else:
                        build = False
                else:
                    child = parent[5] if parent[0] else (*parent[3], parent[1] - 1)
                    values[child] = mark
                    if kind is scalar_event:
                        if tag == _STR:
                            value = text_  # most are, and need no more (_value)
                        elif tag in _SCALAR_PLAIN_TAGS:
                            value = _scalar_value(tag, text_, mark, child, problems)
                        else:
                            build = False
                    elif tag == _MAP and kind is mapping_event:
                        value = {}
                    elif tag == _SEQ and kind is not mapping_event:
                        value = []
                    else:
                        build = False
                    if build:
                        if parent[0]:
                            parent[2][child[-1]] = value
                        else:
                            parent[2].append(value)
            else:
                build = False
            if kind is not scalar_event:
                stack.append([kind is mapping_event, 0, value, child, {}, None])
    finally:
        loader.dispose()
    if not build or documents != 1 or data is None:
        return None, None
    return None, Document(file, data, values, keys, problems)


#: The parser's events that close a collection, and those that are a node.
_END_EVENTS = frozenset({yaml.MappingEndEvent, yaml.SequenceEndEvent})
_NODE_EVENTS = frozenset(
    {yaml.AliasEvent, yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent}
)


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    """A YAML syntax error, located where the parser stopped, explained in
    plain words with what to write instead when the slip is a common one
    (:func:`_explain`), and the parser's own words after it, saying where the
    construct it was reading began (an unclosed bracket or quote)."""
    mark = exc.problem_mark or exc.context_mark
    where = _mark(file, mark) if mark is not None else Mark(file, 1, 1)
    what = exc.problem or "cannot parse this"
    began = exc.context_mark
    moved = (
        mark is not None
        and began is not None
        and (began.line, began.column)
        != (
            mark.line,
            mark.column,
        )
    )
    if exc.context and began is not None and moved:
        what += f" ({exc.context} that began at line {began.line + 1}, column {began.column + 1})"
    if mark is not None:
        lines = text.splitlines()
        line = lines[mark.line] if mark.line < len(lines) else ""
        indent = line[: len(line) - len(line.lstrip())]
        if line[mark.column : mark.column + 1] == "\t" or "\t" in indent:
            return Problem(
                where,
                dotted(()),
                f"YAML syntax error: {what}; indent with spaces: YAML does not allow tabs",
            )
        escape = _bad_escape(what, line, mark.column)
        if escape is not None:
            column, message = escape
            return Problem(Mark(file, mark.line + 1, column + 1), dotted(()), message)
        plain = _explain(exc, lines, mark)
        if plain:
            message = f"YAML syntax error: {plain} (the parser says: {what})"
            return Problem(where, dotted(()), message)
    return Problem(where, dotted(()), f"YAML syntax error: {what}")


#: How many hexadecimal digits each numeric YAML escape takes.
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def _bad_escape(problem: str, line: str, column: int) -> tuple[int, str] | None:
    """For the parser's complaint about an escape in a double-quoted value,
    the column (from 0) of its backslash and what to write instead; None
    for any other problem."""
    if "escape" not in problem and "hexdecimal" not in problem:
        return None
    at = line.rfind("\\", 0, column + 1)
    if at < 0:
        return None
    kind = line[at + 1 : at + 2]
    escape = line[at : at + 2 + _HEX_ESCAPES.get(kind, 0)]
    if kind in _HEX_ESCAPES:
        what = (
            f"`{escape}` is not a YAML escape: \\x takes 2 hexadecimal digits, \\u 4 and "
            "\\U 8, naming a Unicode character"
        )
        if re.fullmatch(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}", escape):
            what += (
                " (a surrogate such as \\ud83d is half of a JSON pair: write the character "
                "itself, or one \\U escape of 8 digits such as \\U0001F600)"
            )
    else:
        what = f"`{escape}` is not a YAML escape"
    return at, (
        f"YAML syntax error: {what}; in double quotes, write \\\\ for a backslash, or put "
        "the text in single quotes, where a backslash is just a backslash"
    )


def _content(line: str) -> str:
    """A line without its comment (roughly: from a ``#`` after a space) and
    trailing spaces."""
    cut = re.search(r"(^|\s)#", line)
    return (line[: cut.start()] if cut else line).rstrip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _spaces(n: int) -> str:
    return f"{n} space" + ("" if n == 1 else "s")


def _explain(exc: yaml.MarkedYAMLError, lines: list[str], mark: Any) -> str:
    """What went wrong, in plain words, and what to write instead, for the
    slips PyYAML reports in its own terms; ``""`` when the slip is not one of
    them.  ``lines`` is the file's text, ``mark`` where the parser stopped."""
    problem = exc.problem or ""
    context = exc.context or ""
    began = exc.context_mark
    row, col = mark.line, mark.column
    line = lines[row] if row < len(lines) else ""
    char = line[col : col + 1]
    before = line[:col].rstrip()
    above = [
        (n, lines[n]) for n in range(min(row, len(lines)) - 1, -1, -1) if _content(lines[n]).strip()
    ]
    prev_no, prev = above[0] if above else (-1, "")
    if "quoted scalar" in context and began is not None:
        quote = lines[began.line][began.column : began.column + 1] or '"'
        return (
            f"the text opened with {quote} at line {began.line + 1}, column "
            f"{began.column + 1} is never closed; end it with a matching {quote} on the same "
            "value"
        )
    if problem.startswith("did not find expected ','") and began is not None:
        close = "]" if "sequence" in context else "}"
        open_ = "[" if close == "]" else "{"
        return (
            f"the {open_} at line {began.line + 1}, column {began.column + 1} is not closed; "
            f"end the list or mapping with {close} on the same value, with a comma between "
            "its items"
        )
    if problem == "could not find expected ':'" and began is not None:
        text = _content(lines[began.line]).strip() if began.line < len(lines) else ""
        return (
            f"line {began.line + 1} ({_short(text)!r}) has no colon after its key; write "
            "`key: value`, and indent a value written on the line below its key further "
            "than the key"
        )
    if problem == "mapping values are not allowed in this context" and char == ":":
        if ": " in before + " " and not before.lstrip().startswith("- "):
            key = before.split(":", 1)[0].strip()
            rest = line[line.index(":") + 1 :].strip()
            return (
                "a second ': ' on one line; YAML reads `key: value`, so a value that "
                f"contains ': ' must be in quotes, e.g. {key}: {rest!r}"
            )
        if prev and ":" not in _content(prev) and not prev.lstrip().startswith("-"):
            return (
                f"line {prev_no + 1} has no colon after its key, so YAML reads it as text "
                "that runs on into this line; write `key: value`"
            )
        if prev and _indent(line) > _indent(prev):
            return (
                f"this line is indented {_spaces(_indent(line))}, more than the line above "
                f"({_spaces(_indent(prev))}), which already has its value; indent it as the "
                "other keys of its mapping, or write the line above as `key:` with nothing "
                "after the colon if this line belongs under it"
            )
    if problem == "did not find expected key":
        if char in ("}", "]"):
            return (
                f"a closing {char} that no opening {'{' if char == '}' else '['} matches; "
                "remove it, or check that each bracket is closed once"
            )
        last = before[-1:]
        if last in ('"', "'") and before.count(last) % 2:
            opened = next((n for n, text in above if _content(text).count(last) % 2), None)
            if opened is not None:
                return (
                    f"the text opened with {last} at line {opened + 1} is not closed on that "
                    f"line, so it runs on to the {last} at column {len(before)} here; close "
                    f"it on line {opened + 1}"
                )
        if last in ("}", "]", '"', "'"):
            return (
                f"more follows on the line after the value closed with {last} at column "
                f"{len(before)}; a bracket or quote closed too early (or a stray one): put "
                "the whole value inside one pair"
            )
        if char == "-":
            return (
                "a list item (- ...) among the keys of a mapping; write `key: value`, or "
                "put the list under a key of its own"
            )
        if col == _indent(line):
            here = _indent(line)
            between = _between_keys(lines, above, here)
            if between:
                return between
            start = began.line if began is not None else 0
            seen = sorted(
                {
                    _indent(text)
                    for n, text in above
                    if n >= start and not text.lstrip().startswith("-")
                }
            )
            held = _content(prev).strip()
            if here in seen and here > _indent(prev) and ":" in held and not held.endswith(":"):
                # Deeper than a `key: value` line: the slip is most often
                # that line's own indentation (a key moved out of the
                # mapping it belongs to).
                return (
                    f"this line is indented {_spaces(here)}, more than line {prev_no + 1} "
                    f"({_short(held)!r}, {_spaces(_indent(prev))}), whose value follows its "
                    f"colon, so nothing can go under it; if line {prev_no + 1} "
                    "belongs in the mapping above it, indent it as that mapping's keys, "
                    "else indent this line as the other keys of its mapping"
                )
            around = " or ".join(str(n) for n in seen) or "0"
            return (
                f"this line is indented {_spaces(here)}, which lines up with no key above "
                f"it (the keys above are indented {around} spaces); indent each key by "
                "exactly as many spaces as the other keys of its mapping"
            )
    if problem == "found character that cannot start any token" and char.strip():
        return (
            f"a plain value cannot start with {char!r}; put the value in quotes, "
            f"e.g. '{_content(line)[col:].strip()}'"
        )
    return ""


def _between_keys(lines: list[str], above: list[tuple[int, str]], here: int) -> str:
    """For a key indented ``here``, deeper than the nearest key above it with
    less indentation but not as deep as that key's own keys: it belongs to
    neither, and most often that key is the line whose indentation slipped
    (``pool:`` moved to column 0 under ``volunteers:``).  ``""`` otherwise."""
    parent = next(((n, t) for n, t in above if _indent(t) < here), None)
    if parent is None or not _content(parent[1]).endswith(":"):
        return ""
    n, text = parent
    below = (
        _indent(t) for t in lines[n + 1 :] if _content(t).strip() and _indent(t) > _indent(text)
    )
    inner = next(below, None)
    if inner is None or inner <= here:
        return ""
    key = _short(_content(text).strip())
    return (
        f"this line is indented {_spaces(here)}: more than `{key}` at line {n + 1} "
        f"({_spaces(_indent(text))}), less than the keys under it ({_spaces(inner)}), so "
        f"it belongs to neither. If `{key}` belongs inside the mapping above it, indent "
        f"line {n + 1} too; otherwise indent this line as the other keys of its mapping"
    )


def _top_kind(node: Node) -> str:
    """What a file holds instead of a mapping, named without quoting it: a
    file named on the command line may be anything (``/etc/passwd``), and no
    message echoes what a refused file holds."""
    if not isinstance(node, ScalarNode):
        return _kind(node)
    try:
        value = _scalar(node)
    except ValueError:
        return "text"
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, (int, float)):
        return "a number"
    return "nothing (null)" if value is None else "text"


def _kind(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    return f"the scalar {_short(node.value)!r}"


def _check_size(root: Node, file: str) -> Problem | None:
    """Count nodes as if aliases were expanded, without expanding them."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise _Refuse(node, "recursive alias: a node contains itself")
        if depth > MAX_DEPTH:
            raise _Refuse(node, f"nesting is deeper than {MAX_DEPTH} levels")
        active.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            for child in node.value:
                total += size(child, depth + 1)
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                total += size(k, depth + 1) + size(v, depth + 1)
        active.discard(key)
        if total > MAX_NODES:
            raise _Refuse(
                node,
                f"aliases expand the document past {MAX_NODES:,} nodes "
                "(an alias bomb?); refusing to load it",
            )
        sizes[key] = total
        return total

    try:
        size(root, 0)
    except _Refuse as exc:
        return Problem(_mark(file, exc.node), dotted(()), exc.message)
    return None


class _Refuse(Exception):
    def __init__(self, node: Node, message: str) -> None:
        self.node, self.message = node, message


def _build(node: Node, path: Path_, doc: Document) -> Any:
    file = doc.file
    if node.tag not in _PLAIN_TAGS[type(node)]:
        doc.problems.append(
            Problem(
                _mark(file, node),
                dotted(path),
                f"unsupported YAML tag {node.tag!r}; expected plain numbers, text, "
                "true/false, lists and mappings (the tag was not executed)",
            )
        )
        return None
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        first: dict[str, Mark] = {}
        for knode, vnode in node.value:
            kmark = _mark(file, knode)
            if knode.tag == _TAG + "merge":
                doc.problems.append(
                    Problem(
                        kmark,
                        dotted(path),
                        "YAML merge keys (<<) are not supported; "
                        "use `extends` to build on another file",
                    )
                )
                continue
            if not isinstance(knode, ScalarNode) or knode.tag not in _SCALAR_TAGS:
                doc.problems.append(
                    Problem(kmark, dotted(path), f"expected a text key; found {_kind(knode)}")
                )
                continue
            key = knode.value
            child = (*path, key)
            if key in first:
                prev = first[key]
                doc.problems.append(
                    Problem(
                        kmark,
                        dotted(child),
                        f"duplicate key {key!r}; it is already set at line {prev.line}",
                    )
                )
            first[key] = kmark
            doc.keys[child] = kmark
            doc.values[child] = _mark(file, vnode)
            out[key] = _build(vnode, child, doc)
        return out
    if isinstance(node, SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            child = (*path, i)
            doc.values[child] = _mark(file, item)
            items.append(_build(item, child, doc))
        return items
    assert isinstance(node, ScalarNode)
    return _scalar_value(node.tag, node.value, _mark(file, node), path, doc.problems)


def _scalar_value(tag: str, text: str, mark: Mark, path: Path_, problems: list[Problem]) -> Any:
    """The value of a scalar with a plain tag (:func:`_scalar`), or None with
    the problem, at ``mark``, of one that does not fit its tag or a
    scenario's numbers."""
    try:
        return _value(tag, text)
    except _Underflows as exc:
        problems.append(
            Problem(
                mark,
                dotted(path),
                f"expected 0 or a number at least {MIN_MAGNITUDE:g} in size (the smallest a "
                f"scenario may hold other than 0); found {_short(exc.text)}, which would read "
                "as 0",
            )
        )
        return None
    except (_TooManyDigits, _Overflows) as exc:
        found = (
            f"a whole number of {exc.digits:,} digits"
            if isinstance(exc, _TooManyDigits)
            else f"{_short(exc.text)}, beyond the range of any number"
        )
        problems.append(
            Problem(
                mark,
                dotted(path),
                f"expected a number between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g} (the "
                f"largest a scenario may hold); found {found}",
            )
        )
        return None
    except ValueError:
        # An explicit tag on text that does not fit it, e.g. `!!int abc`.
        shown = "!!" + tag.removeprefix(_TAG)
        problems.append(
            Problem(
                mark,
                dotted(path),
                f"expected {_TAG_WORDS.get(tag, 'a value')} after the tag {shown}; "
                f"found the text {_short(text)!r}",
            )
        )
        return None


_INT = re.compile(_CORE_RESOLVERS[3][1])
_FLOAT = re.compile(_CORE_RESOLVERS[4][1])
_SPECIAL = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}


class _TooManyDigits(ValueError):
    """A whole number longer than Python converts from text (4,300 digits)."""

    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


class _Overflows(ValueError):
    """A number written in digits beyond the largest a float holds (``1e400``)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class _Underflows(ValueError):
    """A number written with a digit other than 0 but too small for a float,
    which would read as 0 (``1e-400``)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _scalar(node: ScalarNode) -> Any:
    """The value of a scalar by the YAML 1.2 core schema; ``ValueError`` when an
    explicit tag does not fit the text."""
    return _value(node.tag, node.value)


def _value(tag: str, text: str) -> Any:
    """:func:`_scalar` of a scalar tagged ``tag`` that reads ``text``."""
    if tag == _TAG + "str" or tag == _TIMESTAMP:
        return text
    if tag == _TAG + "null":
        if text not in ("", "~", "null", "Null", "NULL"):
            raise ValueError(text)
        return None
    if tag == _TAG + "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(text)
        return text.lower() == "true"
    if tag == _TAG + "int" and _INT.match(text):
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        digits = len(text.lstrip("+-"))
        if digits > sys.get_int_max_str_digits() > 0:
            raise _TooManyDigits(digits)
        return int(text, 10)
    if tag == _TAG + "float" and (_FLOAT.match(text) or _INT.match(text)):
        if text.lower() in _SPECIAL:
            return _SPECIAL[text.lower()]
        if text.startswith(("0o", "0x")):
            return float(int(text[2:], 8 if text[1] == "o" else 16))
        number = float(text) + 0.0  # -0.0 is 0: no result is ever shown as "-0"
        if math.isinf(number):
            raise _Overflows(text)  # 1e400: digits, not .inf, past a float's range
        if number == 0 and re.search("[1-9]", re.split("[eE]", text)[0]):
            raise _Underflows(text)  # 1e-400: not 0 as written, yet 0 as a float
        return number
    raise ValueError(text)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


_YAML11_BOOL = {
    "yes": "true",
    "no": "false",
    "on": "true",
    "off": "false",
    "y": "true",
    "n": "false",
}
# Compiled on first use (re caches them): only a hint needs them.
_BINARY = r"^([-+]?)0b([01_]+)$"
_SEXAGESIMAL = r"^([-+]?)([0-9][0-9_]*(?::[0-5]?[0-9])+)(\.[0-9_]*)?$"
_UNDERSCORED = r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$"


def yaml11_hint(text: str, want: str = "number") -> str:
    """For text that YAML 1.1 would have read as a number (``want="number"``)
    or a boolean (``want="bool"``), what to write instead; else ``""``.

    >>> yaml11_hint("1:30")
    '; YAML 1.2 reads 1:30 as text, not base-60: write 90'
    >>> yaml11_hint("0b101")
    '; YAML 1.2 reads 0b101 as text, not binary: write 5'
    >>> yaml11_hint("yes", "bool"), yaml11_hint("yes"), yaml11_hint("kettle")
    ('; YAML 1.2 reads yes as text: write true', '', '')
    """
    if want == "bool":
        if text.lower() in _YAML11_BOOL:
            return f"; YAML 1.2 reads {text} as text: write {_YAML11_BOOL[text.lower()]}"
        return ""
    sign = -1 if text.startswith("-") else 1
    if m := re.match(_BINARY, text):
        value = sign * int(m[2].replace("_", ""), 2)
        return f"; YAML 1.2 reads {text} as text, not binary: write {value}"
    if m := re.match(_SEXAGESIMAL, text):
        total = 0.0
        for part in m[2].replace("_", "").split(":"):
            total = total * 60 + int(part)
        if m[3]:
            total += float("0" + m[3].replace("_", ""))
        number = sign * total
        shown = f"{number:g}" if m[3] else str(int(number))
        return f"; YAML 1.2 reads {text} as text, not base-60: write {shown}"
    if "_" in text and re.match(_UNDERSCORED, text):
        return f"; YAML 1.2 reads {text} as text: write {text.replace('_', '')}"
    return ""
