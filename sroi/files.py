"""Files written by sroi: checked before any work, then written whole or not at all.

Every file the tool writes goes through this module.  It imports nothing else
from sroi, so any stage may use it.

:func:`check_outputs` refuses, before a run starts, an output path that names a
folder, a device, FIFO or socket, a symbolic link (unless links are followed,
and then the file it points to is written), a place that cannot be written, an
input (a scenario, a file it extends, a sweep's grid), or the same file as
another output of the command.

:func:`write_files` writes every output of a command to a temporary file in
its target's folder, and only once all are complete renames them into place
(:func:`os.replace`, atomic on one file system).  An error, Ctrl-C or SIGTERM
before that leaves every target as it was and removes the temporary files.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

__all__ = [
    "Output",
    "OutputError",
    "Terminated",
    "Writer",
    "atomic_path",
    "check_outputs",
    "read_failure",
    "terminate_raises",
    "text_writer",
    "write_files",
    "write_text",
    "writing_to",
]


class OutputError(OSError):
    """An output that cannot be written safely or at all; the message says why."""


class Terminated(BaseException):
    """SIGTERM arrived; raised so that ``finally`` blocks clean up."""


@dataclass(frozen=True)
class Output:
    """One checked output: the path as given and the file that will be written."""

    #: The path as the user gave it (for messages).
    given: str
    #: The regular file to replace or create (a link's target when links are followed).
    file: Path


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _same(a: Path, b: Path) -> bool:
    with contextlib.suppress(OSError):
        return os.path.samefile(a, b)
    return os.path.realpath(a) == os.path.realpath(b)


def check_output(
    target: str | os.PathLike[str], *, follow_symlinks: bool | None = None, option: str = "output"
) -> Output:
    """Check one output path; raise :class:`OutputError` saying what is wrong.

    ``follow_symlinks``: write through a symbolic link (True), refuse one
    and name the option that would follow it (False), or refuse one where
    no option can follow it (None).

    >>> folder = getfixture("tmp_path")  # a fresh folder (pytest)
    >>> check_output(folder / "report.html").file.name
    'report.html'
    >>> check_output(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sroi.files.OutputError: cannot write output ...: it is a folder; expected a file name
    """
    given = os.fspath(target)
    where = f"cannot write {option} {given!r}"
    if not given:
        raise OutputError(f"cannot write {option}: the file name is empty")
    if given == "-":
        # Many tools read '-' as standard output; sroi writes files whole.
        raise OutputError(
            f"cannot write {option} '-': sroi writes files, not standard output; give a file name"
        )
    if "\0" in given:
        raise OutputError(f"{where}: the file name contains a NUL character")
    if given.endswith((os.sep, "/")) or os.path.basename(given) in ("", ".", ".."):
        raise OutputError(f"{where}: it names a folder; expected a file name")
    path = Path(given)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"{where}: {exc.strerror}") from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        if not follow_symlinks:
            raise OutputError(
                f"{where}: it is a symbolic link; remove it or choose another name"
                + (
                    ", or pass --follow-symlinks (follow_symlinks=True in Python) to write to "
                    "the file it points to"
                    if follow_symlinks is False
                    else ""
                )
            )
        path = Path(os.path.realpath(path))
        try:
            info = os.stat(path)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise OutputError(f"{where}: {exc.strerror}") from None
    if info is not None:
        kind = _kind(info.st_mode)
        if kind is not None:
            raise OutputError(f"{where}: it is {kind}; expected a file name")
        if not os.access(path, os.W_OK):
            raise OutputError(f"{where}: the file is read-only")
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"{where}: folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{where}: folder {str(folder)!r} is not writable")
    return Output(given, path)


def check_outputs(
    targets: Sequence[tuple[str, str | os.PathLike[str]]],
    inputs: Iterable[str | os.PathLike[str]] = (),
    *,
    follow_symlinks: bool | None = None,
    named_inputs: Iterable[tuple[str, str | os.PathLike[str]]] = (),
) -> list[Output]:
    """Check every output of a command before it does any work.

    Parameters
    ----------
    targets : sequence of (option, path)
        Each output with the option that named it (``"-o"``, ``"--xlsx"``).
    inputs : iterable of path
        Files the command reads (scenarios and their ``extends`` parents);
        no output may be one of them.
    follow_symlinks : bool or None
        Write through a symbolic link instead of refusing it (True); refuse
        it and name ``--follow-symlinks`` (False); refuse it (None, for a
        command without that option).
    named_inputs : iterable of (what, path)
        Other files the command reads, each with what it is (``"grid"``);
        no output may be one of them either.

    Raises
    ------
    OutputError
        On the first problem, with a message naming the option and the path.
    """
    outs = [check_output(p, follow_symlinks=follow_symlinks, option=o) for o, p in targets]
    reads = [("scenario", p) for p in inputs] + list(named_inputs)
    for (option, _), out in zip(targets, outs, strict=True):
        for what, read in reads:
            if _same(out.file, Path(read)):
                raise OutputError(
                    f"cannot write {option} {out.given!r}: it is the input {what} {str(read)!r}"
                )
    for i, (option_a, _) in enumerate(targets):
        for j in range(i):
            if _same(outs[i].file, outs[j].file) or outs[i].file == outs[j].file:
                raise OutputError(
                    f"{targets[j][0]} and {option_a} name the same file {outs[i].given!r}; "
                    "give each output its own name"
                )
    return outs


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


@contextlib.contextmanager
def terminate_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated` (so clean-up runs).

    Only on the main thread, and only where SIGTERM still has its default action.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _recheck(out: Output) -> None:
    """The target may have changed since it was checked; never replace a non-file."""
    try:
        info = os.lstat(out.file)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(f"cannot write {out.given!r}: it became a symbolic link")
    kind = _kind(info.st_mode)
    if kind is not None:
        raise OutputError(f"cannot write {out.given!r}: it is {kind}")


Writer = Callable[[Path], None]


def read_failure(exc: OSError) -> str:
    """Why a file could not be read, in a few plain words rather than
    Python's errno text ("[Errno 2] No such file or directory: ...").

    >>> read_failure(FileNotFoundError(2, "No such file or directory"))
    'no such file'
    >>> read_failure(IsADirectoryError(21, "Is a directory"))
    'it is a folder, not a file'
    """
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return (exc.strerror or str(exc)).lower()


def _failed(out: Output, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {out.given!r}: {exc.strerror or exc}; nothing was replaced")


@contextlib.contextmanager
def writing_to(target: Output) -> Iterator[None]:
    """Within the block, a failure to write (a full disk, a failing device:
    any :class:`OSError`) is reported as an :class:`OutputError` naming
    ``target``, never as an error without a file (which the command line would
    take for standard output's).

    >>> import errno
    >>> out = Output("big.csv", Path("big.csv"))
    >>> with writing_to(out):
    ...     raise OSError(errno.ENOSPC, "No space left on device")
    Traceback (most recent call last):
    ...
    sroi.files.OutputError: cannot write 'big.csv': No space left on device; nothing was replaced
    """
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        raise _failed(target, exc) from exc


def write_files(
    writers: Sequence[tuple[Output | str | os.PathLike[str], Writer]],
) -> None:
    """Write several files all together or not at all.

    Each writer is called with a temporary path in its target's folder and
    writes the whole file there.  Only when every writer has finished are the
    temporary files renamed over their targets, back to back.  If any writer
    fails or the process is interrupted (Ctrl-C, SIGTERM) first, no target is
    touched and every temporary file is removed.

    Parameters
    ----------
    writers : sequence of (target, writer)
        A target is an :class:`Output` from :func:`check_outputs` or a path
        (checked here, links refused).
    """
    import tempfile  # here, not at the top: every command imports this module

    outs = [t if isinstance(t, Output) else check_output(t) for t, _ in writers]
    temps: list[Path] = []
    with terminate_raises():
        try:
            for out, (_, write) in zip(outs, writers, strict=True):
                fd, name = tempfile.mkstemp(
                    prefix=f".{out.file.name}.", suffix=".tmp", dir=out.file.parent
                )
                os.close(fd)
                tmp = Path(name)
                temps.append(tmp)
                write(tmp)
                os.chmod(tmp, 0o666 & ~_umask())
                with open(tmp, "rb") as f:
                    os.fsync(f.fileno())
            for out in outs:
                _recheck(out)
            for out, tmp in zip(outs, temps, strict=True):
                os.replace(tmp, out.file)
        except BaseException as exc:
            for tmp in temps:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
            if isinstance(exc, OSError) and not isinstance(exc, OutputError):
                raise _failed(outs[max(len(temps) - 1, 0)], exc) from exc
            raise


@contextlib.contextmanager
def atomic_path(target: Output | str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path to write in place of ``target``; on leaving the block
    without an exception, it becomes ``target``.  A failure to finish it (a
    full disk) is an :class:`OutputError` naming ``target``; errors raised in
    the block pass through as they are (see :func:`writing_to`).

    >>> folder = getfixture("tmp_path")  # a fresh folder (pytest)
    >>> with atomic_path(folder / "out.txt") as tmp:
    ...     _ = tmp.write_text("done")
    >>> (folder / "out.txt").read_text(), sorted(p.name for p in folder.iterdir())
    ('done', ['out.txt'])
    """
    import tempfile

    out = target if isinstance(target, Output) else check_output(target)
    with terminate_raises():
        with writing_to(out):
            fd, name = tempfile.mkstemp(
                prefix=f".{out.file.name}.", suffix=".tmp", dir=out.file.parent
            )
            os.close(fd)
        tmp = Path(name)
        try:
            yield tmp
            with writing_to(out):
                os.chmod(tmp, 0o666 & ~_umask())
                with open(tmp, "rb") as f:
                    os.fsync(f.fileno())
                _recheck(out)
                os.replace(tmp, out.file)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise


def text_writer(text: str) -> Writer:
    """A writer for :func:`write_files` that writes ``text`` as UTF-8."""

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)

    return write


def write_text(target: Output | str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` whole or not at all."""
    write_files([(target, text_writer(text))])
