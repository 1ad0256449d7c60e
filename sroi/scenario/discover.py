"""Expand command-line paths into scenario files (bases skipped, docs/scenarios.md §4)."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from sroi.text import printable

#: Top-level keys of sweep inputs (a grid of areas, a designs file): YAML
#: files that live beside scenarios but are not scenarios.
SWEEP_INPUT_KEYS = ("cases", "designs")
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


def is_sweep_input(path: Path) -> bool:
    """Whether a YAML file is a sweep grid or designs file: its first
    top-level key is one of :data:`SWEEP_INPUT_KEYS`.  Reads only up to that key."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = _TOP_KEY.match(line)
                if m:
                    return m.group(1) in SWEEP_INPUT_KEYS
    except OSError:
        return False
    return False


class PathError(ValueError):
    """A path that names no scenario file: missing, unreadable, or a folder
    with none in it.  A ``ValueError``, as other bad arguments are."""


def _in_folder(path: Path, folder: Path) -> Path:
    """``path``, found in a scan of ``folder``, when it is a regular file
    within the folder (links followed); otherwise :class:`PathError` saying
    why, never what the file holds."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise PathError(f"{path}: a broken link or a loop of links; remove it") from None
    if not real.is_relative_to(folder.resolve()):
        raise PathError(
            f"{path}: a link to a file outside the folder {folder}; name that file on the "
            "command line to read it"
        )
    if not real.is_file():
        raise PathError(f"{path}: not a regular file (a FIFO, device or socket); remove it")
    return path


def is_empty_path(path: object) -> bool:
    """Whether ``path`` is the empty path: ``""``, or a ``Path("")``.

    ``os.fspath(Path(""))`` is ``"."``, the working folder, which a caller
    giving ``Path("")`` never means.  Python 3.12 and later keep what a path
    was built from, so ``Path("")`` is told from ``Path(".")`` (kept as the
    working folder); Python 3.10 and 3.11 make the two the same object.

    >>> is_empty_path(""), is_empty_path("."), is_empty_path(Path("."))
    (True, False, False)
    """
    if isinstance(path, str):
        return not path
    raw = getattr(path, "_raw_paths", ())  # what a PurePath was built from (3.12+)
    return bool(raw) and all(part == "" for part in raw)


def text_given_as_path(raw: str) -> str | None:
    """Why ``raw`` is no path when it holds a line break (scenario text given
    where its path was meant), naming it by its size, never echoing it; else
    None.

    >>> text_given_as_path("id: a\\nname: A\\n")[:60]
    'expected a path to a scenario file or folder; found text of '
    """
    if "\n" not in raw:
        return None
    lines = raw.splitlines()
    yaml = " that looks like YAML" if any(_TOP_KEY.match(line) for line in lines) else ""
    return (
        f"expected a path to a scenario file or folder; found text of {len(lines)} "
        f"line{'s' if len(lines) != 1 else ''}{yaml} (read it with sroi.load_scenario(path) "
        "or write it to a file)"
    )


def regular_file(raw: str) -> str:
    """``raw``, when it names a regular file (links followed); else
    :class:`PathError` saying what it names instead."""
    mode = _mode(raw)
    if stat.S_ISDIR(mode):
        raise PathError(f"{raw}: a folder; expected a scenario file")
    if not stat.S_ISREG(mode):
        raise PathError(f"{raw}: not a regular file (a FIFO, device or socket)")
    return raw


def _mode(raw: str) -> int:
    """The file mode of the command-line path ``raw`` (links followed), or
    :class:`PathError` saying why it names nothing that can be read."""
    if not raw:
        raise PathError("a path is empty; expected a scenario file or folder")
    try:
        return os.stat(raw).st_mode
    except (OSError, ValueError) as exc:
        # A file's text given for its path is named by its size, not echoed.
        text = text_given_as_path(raw)
        if text is not None:
            raise PathError(text) from None
        if isinstance(exc, ValueError):  # a NUL character
            raise PathError(f"{raw}: the name holds a NUL character") from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR) and not os.path.lexists(raw):
            raise PathError(f"{raw}: no such file or folder{_bundled_hint(raw)}") from None
        if exc.errno in (errno.ENOENT, errno.ELOOP):
            raise PathError(f"{raw}: a broken link or a loop of links") from None
        if exc.errno == errno.ENAMETOOLONG:
            raise PathError(f"{raw[:80]}...: the name is too long for this system") from None
        raise PathError(f"{raw}: cannot be read ({exc.strerror})") from None


def _bundled_hint(raw: str) -> str:
    """Where sroi's own copy is, for a missing path that names a bundled file
    or folder as the project's documentation writes it
    (``scenarios/family_action_pss``), run from another folder; else ``""``."""
    from sroi.scenario.bundled import bundled_path

    parts = [p for p in re.split(r"[/\\]", raw) if p not in ("", ".")]
    if parts[:1] == ["scenarios"]:
        parts = parts[1:]
    if not parts or ".." in parts:
        return ""
    try:
        found = bundled_path("/".join(parts))
    except (FileNotFoundError, OSError, ValueError):
        return ""
    return f"; sroi's bundled copy is {printable(str(found))}"


def _skipped(files: list[Path]) -> str:
    """Why a folder's YAML files were all passed over, for its error: bases
    (``_`` names) and sweep inputs, named (at most three of each)."""

    def names(kind: list[Path]) -> str:
        shown = ", ".join(printable(p.name) for p in kind[:3])
        return shown + (f" and {len(kind) - 3} more" if len(kind) > 3 else "")

    bases = [p for p in files if p.name.startswith("_")]
    sweeps = [p for p in files if not p.name.startswith("_")]
    parts = []
    if bases:
        parts.append(f"{names(bases)}: base(s), checked through the files that extend them")
    if sweeps:
        parts.append(f"{names(sweeps)}: sweep input(s), for `sroi sweep`")
    return f" ({'; '.join(parts)})" if parts else ""


def scenario_files(paths: list[str]) -> list[str]:
    """Files named by ``paths``: a file as given; a folder gives every ``*.yaml``
    below it, recursively and sorted, except files whose name starts with ``_``
    (bases meant only to be extended), folders and sweep inputs
    (:func:`is_sweep_input`).  Duplicates are dropped.

    A folder's scan reads only regular files within it: a link out of the
    folder, a broken link or a FIFO is refused, naming it (docs/security.md).

    Raises
    ------
    PathError
        When a path is empty, does not exist, cannot be read or is not a
        regular file, a folder holds no scenario file, or a folder holds a
        file its scan will not read.
    """
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        mode = _mode(raw)
        if stat.S_ISDIR(mode):
            every = sorted(p for p in path.rglob("*.yaml") if not p.is_dir())
            candidates = [p for p in every if not p.name.startswith("_")]
            found = [p for p in candidates if not is_sweep_input(_in_folder(p, path))]
            if not found:
                raise PathError(
                    f"{raw}: no scenario files (*.yaml) in this folder{_skipped(every)}"
                )
            out.extend(os.path.normpath(p) for p in found)
        elif stat.S_ISREG(mode):
            out.append(os.path.normpath(raw))
        else:
            raise PathError(f"{raw}: not a regular file (a FIFO, device or socket)")
    seen: set[str] = set()
    unique = []
    for p in out:
        real = os.path.realpath(p)
        if real not in seen:
            seen.add(real)
            unique.append(p)
    return unique
