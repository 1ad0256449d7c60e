"""Load scenario files: read safely, follow ``extends``, deep-merge, validate.

The merge rule (docs/scenarios.md §4): mappings merge key by key, any other value (lists
included) replaces the parent's, and ``null`` removes what the parent had.
One refinement, documented in ``docs/decisions.md``: a numeric value written
as a mapping with a value key (``{pert: [...], source: x}``) is one value, so
a child that sets a value key replaces the parent's value mapping whole,
metadata included; the parent's ``source`` never sticks to the child's number.

Price years follow the file that writes a figure: a money value without its
own ``price_year`` is at the price year of the file that writes it.  So when a
child sets a different ``price_year``, the parent's money values are first
marked with the parent's year; the engine then converts them, never relabels
them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sroi.prices import GDP_DEFLATOR
from sroi.scenario.bundled import bundled_path
from sroi.scenario.checks import check_currency, check_limits, check_references, without_echoes
from sroi.scenario.discover import is_empty_path, text_given_as_path
from sroi.scenario.errors import did_you_mean, is_unknown_key, problems_from_validation
from sroi.scenario.kept import Kept
from sroi.scenario.model import Scenario
from sroi.scenario.money import (
    MONEY_FIELDS,
    currency_relabel_refused,
    is_money_path,
    relabel_refused,
)
from sroi.scenario.problems import Mark, Problem, ScenarioError, dotted
from sroi.scenario.subtrees import Subtrees
from sroi.scenario.values import DISTRIBUTION_KEYS, Value
from sroi.scenario.yamlio import (
    Document,
    Path_,
    _copy,
    _copy_data,
    parse_yaml,
    read_kept,
    read_yaml,
)

#: Most files one ``extends`` chain may read, the scenario included [files].
MAX_EXTENDS_DEPTH = 50
#: Longest file name in an ``extends`` path, and longest path [characters].
MAX_NAME_CHARS = 255
MAX_PATH_CHARS = 1024

#: Keys of a value mapping that describe the value rather than set it.
_METADATA_KEYS = frozenset(Value.model_fields) - frozenset(DISTRIBUTION_KEYS)


def load_scenario(
    path: str | os.PathLike[str],
    *,
    allow_extends: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] = (),
) -> Scenario:
    """Load and validate one scenario file, following ``extends``.

    Parameters
    ----------
    path : str or path-like
        The scenario YAML file (its path, not its text).
    allow_extends : folder or sequence of folders
        More folders whose files ``extends`` may name, as ``--allow-extends``
        (by default the folder above the file's own, the working folder and
        the bundled scenarios; docs/security.md).

    Returns
    -------
    Scenario
        The validated, immutable scenario.

    Raises
    ------
    ScenarioError
        With every problem found, each located as ``FILE:LINE:COL``; an
        empty path, or a scenario's text given for its path, is one too.
    ValueError
        When ``allow_extends`` names no folder.
    """
    scenario, problems = check_file(path, allow_extends=allow_folders(allow_extends))
    if scenario is None:
        raise ScenarioError(problems)
    return scenario


def check_file(
    path: str | os.PathLike[str], *, allow_extends: Sequence[str | os.PathLike[str]] = ()
) -> tuple[Scenario | None, list[Problem]]:
    """Load a scenario and return it with every problem found (never raises).

    ``allow_extends`` names more folders whose files ``extends`` may name
    (see :func:`extends_roots`).
    """
    if is_empty_path(path) or not os.fspath(path):  # Path("") is never the working folder
        where = Mark("(empty path)", 1, 1)
        return None, [Problem(where, dotted(()), "expected a scenario file; the path is empty")]
    text = text_given_as_path(os.fspath(path))
    if text is not None and not os.path.lexists(path):
        return None, [Problem(Mark("(text, not a path)", 1, 1), dotted(()), text)]
    roots = extends_roots(path, allow_extends)
    return _check_document(load_document(Path(path), str(path), roots=roots))


def check_text(
    text: str,
    path: str | os.PathLike[str],
    display: str | None = None,
    *,
    allow_extends: Sequence[str | os.PathLike[str]] = (),
) -> tuple[Scenario | None, list[Problem]]:
    """Check scenario ``text`` as if it were the file at ``path`` (``extends`` is
    resolved from that file's folder), without writing it; never raises.

    ``display`` names the text in problems (default: ``path``).
    """
    shown = str(path) if display is None else display
    roots = extends_roots(path, allow_extends)
    doc = _follow_extends(parse_yaml(text, shown), Path(path), shown, roots=roots)
    return _check_document(doc)


def check_document(doc: Document) -> tuple[Scenario | None, list[Problem]]:
    """Validate a loaded document (``extends`` already followed) as a scenario;
    returns it with every problem found, each located (never raises)."""
    return _check_document(doc)


def _check_document(doc: Document) -> tuple[Scenario | None, list[Problem]]:
    if doc.problems:
        return None, doc.problems
    problems = check_references(doc)
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as exc:
        found = problems_from_validation(exc, doc, Scenario)
        problems = without_echoes(found, problems) + problems
    except ArithmeticError:
        # A number so large that a check overflows (a value's own parameters
        # are reported as its problem); the magnitude check above has said which.
        if not problems:
            raise
    if scenario is not None:
        problems += check_limits(scenario, doc) + check_currency(scenario, doc)
    if problems:
        return None, sorted(problems, key=lambda p: (p.mark, p.path))
    return scenario, []


def locate(path: str | os.PathLike[str], at: Path_) -> Mark:
    """Where the entry at ``at`` (e.g. ``("id",)``) is written: in ``path`` or
    in the parent it inherits the entry from."""
    return load_document(Path(path), str(path), roots=extends_roots(path)).mark(at)


def extends_roots(
    path: str | os.PathLike[str], allow: Sequence[str | os.PathLike[str]] = ()
) -> tuple[Path, ...]:
    """Folders whose files (at any depth) a scenario loaded from ``path`` may
    ``extends``: the folder above the scenario's own (so ``../common/base.yaml``
    works), the working folder, the scenarios bundled with sroi (the
    replication template), and those in ``allow``."""
    here = _real(Path(os.path.abspath(path)).parent)
    folders = [here.parent, Path.cwd(), *map(Path, allow)]
    with contextlib.suppress(FileNotFoundError):
        folders.append(bundled_path())  # the scenarios that come with sroi
    return tuple(_real(p) for p in folders)


def allow_folders(
    allow: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None,
) -> tuple[str, ...]:
    """``allow_extends`` as the Python API takes it (a folder, a sequence of
    folders, or None) as folder names, each checked to exist as
    ``--allow-extends`` does; else ``ValueError`` naming it.

    >>> allow_folders("."), allow_folders(None)
    (('.',), ())
    """
    if allow is None:
        return ()
    folders = [allow] if isinstance(allow, (str, os.PathLike)) else allow
    if isinstance(folders, (bytes, dict)) or not isinstance(folders, Sequence):
        raise ValueError(
            "allow_extends must be a folder or a sequence of folders; "
            f"found {type(allow).__name__} {allow!r:.60}"
        )
    out: list[str] = []
    for folder in folders:
        if not isinstance(folder, (str, os.PathLike)) or is_empty_path(folder):
            raise ValueError(f"allow_extends: expected a folder; found {folder!r:.60}")
        name = os.fspath(folder)
        if not isinstance(name, str) or not os.path.isdir(name):
            what = "is a file" if os.path.exists(name) else "does not exist"
            raise ValueError(f"allow_extends: expected a folder; {name!r:.80} {what}")
        out.append(name)
    return tuple(out)


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def extends_chain(path: str | os.PathLike[str]) -> list[Path]:
    """The files ``path`` is built from, resolved: ``path`` itself, then each
    file it ``extends`` in turn.  Stops at a cycle or at a parent that is
    missing or unreadable (that parent is still listed); never raises.

    >>> [p.name for p in extends_chain("scenarios/replication/new_area.yaml")]
    ['new_area.yaml', '_common.yaml']
    """
    chain: list[Path] = []
    here = _real(Path(path))
    while here not in chain and len(chain) < MAX_EXTENDS_DEPTH:
        chain.append(here)
        if not here.is_file() or not os.access(here, os.R_OK):
            break
        data = read_yaml(here, str(here)).data
        parent = data.get("extends") if isinstance(data, dict) else None
        if not isinstance(parent, str) or not parent:
            break
        try:
            here = (here.parent / parent).resolve()
        except (OSError, RuntimeError):  # a loop of links, a NUL, a name too long
            break
    return chain


def input_files(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Every file the scenarios named by ``paths`` (files or folders, as on the
    command line) are read from: each scenario file, then each file it
    ``extends`` (:func:`extends_chain`).  Paths that name no scenario give
    nothing (loading them reports why); never raises.

    >>> [p.name for p in input_files(["scenarios/replication/new_area.yaml"])]
    ['new_area.yaml', '_common.yaml']
    """
    from sroi.scenario.discover import PathError, scenario_files

    try:
        files = scenario_files([os.fspath(p) for p in paths])
    except PathError:
        return []
    return [f for file in files for f in extends_chain(file)]


def load_document(
    path: Path,
    display: str,
    _chain: tuple[Path, ...] = (),
    *,
    roots: tuple[Path, ...] | None = None,
) -> Document:
    """Read ``path`` and every file it ``extends``, merged into one document.

    ``roots`` are the folders parents may lie in (default
    :func:`extends_roots` of ``path``).
    """
    kept = read_kept(path, display)
    return _follow_extends(kept, path, display, _chain, roots=roots, kept=True)


def _follow_extends(
    doc: Document,
    path: Path,
    display: str,
    _chain: tuple[Path, ...] = (),
    *,
    roots: tuple[Path, ...] | None = None,
    kept: bool = False,
) -> Document:
    """``doc`` (read from ``path``) merged over every file it ``extends``.
    ``kept``: ``doc`` is a document kept for reuse, never to be changed (what
    is returned is then a copy or a merge, never ``doc``)."""
    if roots is None:
        roots = extends_roots(path)
    if doc.problems or not isinstance(doc.data, dict):
        return _copy(doc) if kept else doc
    parent_ref = doc.data.get("extends")
    if parent_ref is None:
        own = _copy(doc) if kept else doc
        own.data.pop("extends", None)
        _drop_nulls(own.data)  # the document is this caller's own copy
        return own
    where = doc.values.get(("extends",), Mark(display, 1, 1))
    chain = (*_chain, _real(path))
    parent, message = _parent(parent_ref, chain, roots)
    if parent is None:
        own = _without_extends(doc, kept)
        own.problems.append(Problem(where, "extends", message))
        return own
    parent_display = os.path.normpath(os.path.join(os.path.dirname(display), parent_ref))
    base = _parent_document(parent, parent_display, chain, roots)
    if base.doc.problems or not isinstance(base.doc.data, dict):
        own = _without_extends(doc, kept)
        own.problems.extend(base.doc.problems)
        return own
    # The merge changes neither document and shares nothing that can be
    # changed with them, so a kept ``doc`` needs no copy; only its top level
    # is new, without ``extends``.
    data = {k: v for k, v in doc.data.items() if k != "extends"}
    return _merge_over(base, Document(doc.file, data, doc.values, doc.keys))


def _without_extends(doc: Document, kept: bool) -> Document:
    """``doc`` (a copy if it is ``kept``) without its ``extends`` entry."""
    own = _copy(doc) if kept else doc
    own.data.pop("extends", None)
    return own


class _Merged:
    """A parent file merged over every file it extends, nulls dropped, kept
    for reuse by every file that extends it: never to be changed."""

    __slots__ = ("base", "doc", "held", "parsed")

    def __init__(
        self,
        doc: Document,
        held: Subtrees | None = None,
        parsed: Document | None = None,
        base: _Merged | None = None,
    ) -> None:
        self.doc = doc
        #: The paths of ``doc``'s tables (None for a document with problems).
        self.held = held
        #: What ``doc`` was made from: the parent as parsed and what it
        #: extends, as merged (kept so that no other object takes their ids).
        self.parsed = parsed
        self.base = base


#: Parents merged over what they extend, kept for reuse [documents].
MERGED_KEPT = 8
_MERGED: Kept[tuple[int, int], _Merged] = Kept(MERGED_KEPT)


def _parent_document(
    path: Path, display: str, chain: tuple[Path, ...], roots: tuple[Path, ...]
) -> _Merged:
    """The parent file at ``path`` merged over every file it extends, as
    :func:`load_document` gives it.  The checks on each ``extends`` run every
    time; the merge is done once for the same parsed files (a changed file
    is parsed again, so it is merged again)."""
    doc = read_kept(path, display)
    if doc.problems or not isinstance(doc.data, dict):
        return _Merged(doc)
    ref = doc.data.get("extends")
    base: _Merged | None = None
    if ref is not None:
        where = doc.values.get(("extends",), Mark(display, 1, 1))
        here = (*chain, _real(path))
        parent, message = _parent(ref, here, roots)
        if parent is None:
            return _Merged(Document(doc.file, None, problems=[Problem(where, "extends", message)]))
        parent_display = os.path.normpath(os.path.join(os.path.dirname(display), ref))
        base = _parent_document(parent, parent_display, here, roots)
        if base.doc.problems or not isinstance(base.doc.data, dict):
            return _Merged(Document(doc.file, None, problems=[*base.doc.problems]))
    key = (id(doc), id(base))
    kept = _MERGED.get(key)
    if kept is not None and kept.parsed is doc and kept.base is base:
        return kept
    own = {k: v for k, v in doc.data.items() if k != "extends"}
    if base is None:
        data = _copy_data(own)
        _drop_nulls(data)
        merged = Document(doc.file, data, doc.values, doc.keys)
    else:
        merged = _merge_over(base, Document(doc.file, own, doc.values, doc.keys))
    held = None if merged.problems else Subtrees([*merged.values, *merged.keys])
    kept = _Merged(merged, held, doc, base)
    _MERGED.put(key, kept)
    return kept


def _merge_over(base: _Merged, over: Document) -> Document:
    """``over`` merged over ``base`` (neither changed), marking ``base``'s
    money with its price year when ``over`` sets another."""
    parent = base.doc
    own, inherited = over.data.get("price_year"), parent.data.get("price_year")
    if own != inherited and _in_table(own) and isinstance(inherited, int) and _in_table(inherited):
        parent = Document(parent.file, _copy_data(parent.data), parent.values, parent.keys)
        _mark_price_years(parent.data, inherited)
    held = base.held.copy() if base.held is not None else None
    return _merge_documents(parent, over, held)


def _parent(ref: Any, chain: tuple[Path, ...], roots: tuple[Path, ...]) -> tuple[Path | None, str]:
    """The parent file an ``extends`` value names, or None and why it cannot be
    read.  Messages name the file as written, never its content."""
    if not isinstance(ref, str) or not ref:
        return None, "expected a file path relative to this file"
    if "\0" in ref:
        return None, "expected a file path; found a NUL character in it"
    # A long path keeps its start and its end (the file name) in messages.
    shown = ref if len(ref) <= 160 else ref[:60] + "..." + ref[-97:]
    if len(ref) > MAX_PATH_CHARS or any(len(part) > MAX_NAME_CHARS for part in Path(ref).parts):
        return None, (
            f"the file path {shown!r} is too long (at most {MAX_NAME_CHARS} characters a "
            f"name, {MAX_PATH_CHARS} in all)"
        )
    if "\\" in ref:
        return None, (
            f"expected a path with / between folders; found '{shown}', written with \\ "
            "(a Windows path): write it with /, relative to this file"
        )
    if ref.endswith("/"):
        return None, f"expected a scenario file; found {shown!r}, a folder's path (it ends in /)"
    if Path(ref).suffix.lower() not in (".yaml", ".yml"):
        return None, f"expected a scenario file ending in .yaml or .yml; found {shown!r}"
    if len(chain) >= MAX_EXTENDS_DEPTH:
        return None, f"extends goes more than {MAX_EXTENDS_DEPTH} files deep"
    loop = f"parent file {shown!r} is a loop of symbolic links"
    try:
        # Where the path leads, links followed, before asking whether it exists,
        # so nothing is revealed about files outside the allowed folders.
        parent = (chain[-1].parent / ref).resolve()
    except RuntimeError:
        return None, loop
    except OSError as exc:
        return None, loop if exc.errno == errno.ELOOP else f"cannot reach {shown!r}: {exc.strerror}"
    if not any(parent.is_relative_to(root) for root in roots):
        return None, (
            f"parent file {shown!r} is outside the folders a scenario may extend from (the "
            "folder above its own, the working folder and the bundled scenarios); pass "
            "--allow-extends FOLDER (allow_extends= in Python) to allow another"
            + _this_installations(ref)
        )
    if parent in chain:
        names = " -> ".join(p.name for p in (*chain, parent))
        return None, f"extends cycle: {names}"
    try:
        parent = parent.resolve(strict=True)
    except FileNotFoundError:
        return None, _missing_parent(ref, shown, parent, chain[-1].parent, roots)
    except RuntimeError:
        return None, loop
    except OSError as exc:
        return None, loop if exc.errno == errno.ELOOP else f"cannot reach {shown!r}: {exc.strerror}"
    try:
        mode = os.stat(parent).st_mode
    except OSError as exc:
        return None, f"cannot reach parent file {shown!r}: {exc.strerror}"
    if stat.S_ISDIR(mode):
        return None, f"parent {shown!r} is a folder; expected a scenario file"
    if not stat.S_ISREG(mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device or socket"
        return None, f"parent {shown!r} is {kind}; expected a scenario file"
    if not os.access(parent, os.R_OK):
        return None, f"cannot read parent file {shown!r}: permission denied"
    return parent, ""


def _this_installations(ref: str) -> str:
    """A hint when ``ref`` names a file sroi installs (``.../sroi/bundled/...``)
    of another installation, as a file written on another computer does: the
    path of this installation's copy, when it has one.  (Read from the text
    alone: nothing is looked up outside the allowed folders.)"""
    parts = Path(ref).parts
    at = next((i for i in range(len(parts) - 2) if parts[i : i + 2] == ("sroi", "bundled")), None)
    if at is None:
        return ""
    mine = bundled_path().joinpath(*parts[at + 2 :])
    if not mine.is_file():
        return ""
    return (
        f"; it names a file sroi installs, in another installation: this one's is {mine} "
        f"(write `extends: {mine}`)"
    )


def _missing_parent(
    ref: str, shown: str, looked: Path, folder: Path, roots: tuple[Path, ...]
) -> str:
    """Why an ``extends`` path leads nowhere: where it was looked for and, when
    the path names a file from the working folder instead of from the
    file's own, the path to write."""
    where = str(looked) if len(str(looked)) <= 160 else "..." + str(looked)[-157:]
    message = (
        f"parent file {shown!r} does not exist; looked for {where} (the path is taken "
        "from the folder of the file that names it)"
    )
    with contextlib.suppress(OSError, RuntimeError, ValueError):
        there = (Path.cwd() / ref).resolve(strict=True)
        if there.is_file() and any(there.is_relative_to(root) for root in roots):
            rel = os.path.relpath(there, folder)
            message += f"; to extend {ref!r} of the working folder, write `extends: {rel}`"
    return message


def _in_table(year: Any) -> bool:
    return isinstance(year, int) and not isinstance(year, bool) and year in GDP_DEFLATOR


def _mark_price_years(data: dict[str, Any], year: int) -> None:
    """Write ``price_year: year`` on every money value in ``data`` that has none."""
    for pattern in MONEY_FIELDS:
        for parent, key in _matches(data, pattern):
            x = parent[key]
            if _is_number(x):
                parent[key] = {"value": x, "price_year": year}
            elif _is_value_mapping(x) and "price_year" not in x:
                x["price_year"] = year


def _matches(node: Any, pattern: tuple[str, ...]) -> list[tuple[dict[str, Any], str]]:
    """``(mapping, key)`` of every entry of ``node`` at ``pattern`` (``*``: any key)."""
    if not isinstance(node, dict) or not pattern:
        return []
    head, rest = pattern[0], pattern[1:]
    keys = list(node) if head == "*" else [head] if head in node else []
    if not rest:
        return [(node, k) for k in keys]
    return [m for k in keys for m in _matches(node[k], rest)]


def _is_value_mapping(x: Any) -> bool:
    return isinstance(x, dict) and any(k in x for k in DISTRIBUTION_KEYS)


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _is_metadata(x: Any) -> bool:
    """A mapping of value metadata only (``{note: ...}``), no value key."""
    return isinstance(x, dict) and bool(x) and set(x) <= _METADATA_KEYS


def _merge_documents(base: Document, over: Document, held: Subtrees | None = None) -> Document:
    """``over`` merged over ``base``; neither is changed, and the result
    shares nothing that can be changed with either.  ``held``: the paths of
    ``base``'s tables, if known (it is changed)."""
    values = dict(base.values)
    keys = dict(base.keys)
    problems: list[Problem] = []
    base_year = base.data.get("price_year")

    def relabels(b: Any, o: Any, path: Path_) -> None:
        """Refuse a ``price_year`` written without its number over inherited
        money: it would relabel the parent's number, not convert it."""
        year = o.get("price_year")
        if year is None or not is_money_path(path):
            return
        if _is_number(b):
            held, number = base_year, f"number {b!r}"
        elif _is_value_mapping(b):
            kind = next(k for k in DISTRIBUTION_KEYS if k in b)
            held = b.get("price_year", base_year)
            number = f"number {b[kind]!r}" if kind == "value" else f"{kind} distribution"
        else:
            return
        if year == held:
            return
        at = (*path, "price_year")
        problems.append(
            Problem(
                over.values.get(at, over.keys.get(at, Mark(over.file, 1, 1))),
                dotted(at),
                relabel_refused(number, held, year),
            )
        )

    # The paths of both tables, so a subtree's entries are found by walking
    # down from its path, not by scanning the tables (see subtrees.py).
    if held is None:
        held = Subtrees([*values, *keys])
    offered = Subtrees([*over.values, *over.keys])

    def drop(path: Path_) -> None:
        """Forget the base's positions at and below ``path``."""
        for p in held.below(path):
            values.pop(p, None)
            keys.pop(p, None)
        held.remove(path)

    def take(path: Path_) -> None:
        """Take the positions at and below ``path`` from the file merged over."""
        for p in offered.below(path):
            for src, dst in ((over.values, values), (over.keys, keys)):
                if p in src:
                    dst[p] = src[p]
                    held.add(p)

    def merge(b: Any, o: Any, path: Path_) -> Any:
        if _is_metadata(o):
            relabels(b, o, path)
        if _is_number(b) and _is_metadata(o):
            b = {"value": b}  # a bare number is {value: x}; metadata merges into it
        if isinstance(b, dict) and isinstance(o, dict) and not _is_value_mapping(o):
            # What ``o`` leaves as it is, copied: ``base`` may be a kept document.
            out = {k: v if k in o else _copy_data(v) for k, v in b.items()}
            for k, v in o.items():
                p = (*path, k)
                if v is None:
                    if k not in b:
                        problems.append(_nothing_to_remove(over, p, list(b)))
                    out.pop(k, None)
                    drop(p)
                    take(p)  # where the null is written, should the key be required
                elif k in b:
                    out[k] = merge(b[k], v, p)
                else:
                    out[k] = _strip_nulls(v, p)
                    take(p)
            if path in over.keys:
                keys[path] = over.keys[path]
                held.add(path)
            if path in over.values and not _is_value_mapping(b):
                # A value keeps pointing at the parent that wrote its numbers.
                values[path] = over.values[path]
                held.add(path)
            return out
        drop(path)
        take(path)
        return _strip_nulls(o, path)

    data = merge(base.data, over.data, ())
    values[()] = over.values.get((), Mark(over.file, 1, 1))
    problems += _recurrency(base, over, data)
    return Document(over.file, data, values, keys, problems)


def _recurrency(base: Document, over: Document, data: dict[str, Any]) -> list[Problem]:
    """Refuse a ``currency`` that differs from the inherited one while the
    merged ``data`` still holds money the file does not restate: its numbers
    would be read in the new currency unconverted (no table converts
    between currencies).  Located at the file's ``currency``."""
    held, own = base.data.get("currency"), over.data.get("currency")
    if not (isinstance(held, str) and isinstance(own, str)) or own == held:
        return []
    if not re.fullmatch(_CURRENCY, own):
        return []  # refused as a currency code; nothing is relabelled
    kept = [
        dotted(path)
        for pattern in MONEY_FIELDS
        for path in _paths(data, pattern)
        if not _restates(over.data, path)
    ]
    if not kept:
        return []
    where = over.values.get(("currency",), Mark(over.file, 1, 1))
    return [Problem(where, "currency", currency_relabel_refused(held, own, sorted(kept)))]


_CURRENCY = r"[A-Z]{3}"  # compiled on first use (re caches it)


def _paths(node: Any, pattern: tuple[str, ...], path: Path_ = ()) -> list[Path_]:
    """The key path of every entry of ``node`` at ``pattern`` (``*``: any key)."""
    if not isinstance(node, dict) or not pattern:
        return []
    head, rest = pattern[0], pattern[1:]
    keys = list(node) if head == "*" else [head] if head in node else []
    if not rest:
        return [(*path, k) for k in keys]
    return [p for k in keys for p in _paths(node[k], rest, (*path, k))]


def _restates(data: Any, path: Path_) -> bool:
    """Whether ``data`` writes a number of its own at ``path``."""
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return _is_number(data) or _is_value_mapping(data)


def _nothing_to_remove(over: Document, path: Path_, inherited: list[str]) -> Problem:
    """A null over a key the parent does not have: most likely a misspelt
    name, whose line or outcome is then kept unseen."""
    where = over.keys.get(path, over.values.get(path, Mark(over.file, 1, 1)))
    key = str(path[-1])
    # Not a misspelling: most likely a key left empty while the file is
    # drafted, which YAML reads as null.
    hint = did_you_mean(key, inherited) or (
        f"; an empty `{key}:` is null, which removes a key the parent has: write its value "
        "after the colon, or leave the line out"
    )
    inside = f"{dotted(path[:-1])} inherits" if len(path) > 1 else "the file inherits"
    return Problem(where, dotted(path), f"null removes nothing: {inside} no {key!r}{hint}")


def _unset(path: Path_, key: Any) -> bool:
    """Whether a null at ``key`` of the mapping at ``path`` means "not set" and
    is dropped: at any key but one the scenario does not know, which is kept
    so that validation reports it (``notez:`` left empty is still a typo)."""
    return not (isinstance(key, str) and is_unknown_key(Scenario, path, key))


def _drop_nulls(x: Any, path: Path_ = ()) -> None:
    """Drop, in place, mapping entries set to null: null means "not set"."""
    if isinstance(x, dict):
        for k in [k for k, v in x.items() if v is None and _unset(path, k)]:
            del x[k]
        for k, v in x.items():
            if isinstance(v, (dict, list)):  # nothing else holds a null to drop
                _drop_nulls(v, (*path, k))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            if isinstance(v, (dict, list)):
                _drop_nulls(v, (*path, i))


def _strip_nulls(x: Any, path: Path_) -> Any:
    """Drop mapping entries set to null: null means "not set"."""
    if isinstance(x, dict):
        return {
            k: _strip_nulls(v, (*path, k))
            for k, v in x.items()
            if v is not None or not _unset(path, k)
        }
    if isinstance(x, list):
        return [_strip_nulls(v, (*path, i)) for i, v in enumerate(x)]
    return x


__all__ = [
    "allow_folders",
    "check_document",
    "check_file",
    "check_text",
    "extends_chain",
    "extends_roots",
    "input_files",
    "load_document",
    "load_scenario",
    "locate",
]
