"""Entry point of the ``sroi`` command.

Each subcommand lives in its own module, ``sroi.cli.<name>_cmd``, with
``add_parser`` and ``run`` (:mod:`sroi.cli.commands`).  Only the subcommand
on the command line is imported and gets its full parser; the others are
listed by name and their line of help.  Heavy libraries are imported inside
``run``, so ``sroi --help`` starts fast.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import io
import os
import re
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType
from typing import Any, NoReturn

from sroi._version import __version__
from sroi.cli.commands import HELP
from sroi.cli.terminal import escaped_output

#: The subcommands, in the order ``sroi --help`` lists them.
COMMANDS = tuple(HELP)

_EPILOG = """\
examples:
  sroi validate scenarios                      check every bundled scenario
  sroi run scenarios/family_action_pss         four pilot sites and the programme
  sroi run scenarios/family_action_pss --json  the same as a JSON document
  sroi schema > scenario.schema.json           JSON Schema for editors
  sroi sensitivity scenarios/family_action_pss/oxford.yaml --method oneway
                                               what drives Oxford's SROI ratio
  sroi compare scenarios/family_action_pss     league table of the sites
  sroi report scenarios/family_action_pss -o report.html --xlsx value_map.xlsx
                                               HTML report and Excel value map
  sroi replicate                               cost the service in a new area
  sroi app                                     the same, and more, on a web page
  sroi sweep scenarios/family_action_pss/oxford.yaml --grid scenarios/sweeps/areas.yaml
             --design scenarios/sweeps/designs.yaml --out sweep.csv
                                               every area x design into one table

exit status: 0 success; 2 invalid input, arguments or output path; 1 standard
output could not be written, or an internal error; 130 interrupted; 143 SIGTERM.
Untrusted files: see docs/security.md.
"""


class _Parser(argparse.ArgumentParser):
    """An argument parser that reads any argument starting with a minus and a
    digit (``-1e6``, ``-.5``) as a negative number, as Python 3.13's does:
    Python 3.11's took ``--target-value -1e6`` for an unknown option.  No
    option of ``sroi`` starts with a digit, so none is mistaken.

    A long option must be written in full (``allow_abbrev=False``):
    ``--birth`` is refused, not taken for ``--births``.  An unknown argument
    after a subcommand is reported with that subcommand's usage, with the
    option it most likely means (:func:`unknown_arguments`).  Subcommand
    parsers are of this class too (argparse makes them of their parent's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-\.?\d")

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            words = list(sys.argv[1:] if args is None else args)
            command = getattr(parsed, "command_parser", None)
            # An unknown argument after the subcommand is that command's.
            owner: argparse.ArgumentParser = self
            if command is not None and _after_command(words, extras[0], parsed.command):
                owner = command
            owner.error(unknown_arguments(extras, owner))
        return parsed


def _after_command(words: Sequence[str], extra: str, command: str) -> bool:
    """Whether ``extra`` comes after the subcommand ``command`` in ``words``."""
    start = words.index(command) if command in words else -1
    return start >= 0 and extra in words[start + 1 :]


def unknown_arguments(extras: Sequence[str], parser: argparse.ArgumentParser) -> str:
    """The message for arguments ``parser`` does not know, with the option
    each unknown one most likely means: the options it begins (a shortened
    option), else the closest spelling (:func:`difflib.get_close_matches`).

    >>> p = _Parser(prog="sroi x")
    >>> _ = p.add_argument("--births"), p.add_argument("--referrals-per-year")
    >>> unknown_arguments(["--refferals-per-year", "40"], p)
    'unrecognized arguments: --refferals-per-year 40 (did you mean --referrals-per-year?)'
    >>> unknown_arguments(["--birth=14000", "x"], p)
    'unrecognized arguments: --birth=14000 x (did you mean --births?)'
    """
    import difflib

    options = [o for a in parser._actions for o in a.option_strings if o.startswith("--")]
    hints: list[tuple[str, str]] = []
    for extra in extras:
        if not extra.startswith("--") or len(extra) < 3:
            continue
        flag = extra.partition("=")[0]
        begun = [o for o in options if o.startswith(flag)]
        close = begun or difflib.get_close_matches(flag, options, n=1, cutoff=0.6)
        if close:
            hints.append((flag, " or ".join(close)))
    message = f"unrecognized arguments: {' '.join(extras)}"
    if len(hints) == 1:
        return f"{message} (did you mean {hints[0][1]}?)"
    if hints:
        return f"{message} (did you mean {'; '.join(f'{s} for {f}' for f, s in hints)}?)"
    return message


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``sroi`` command.

    Every subcommand gets its full parser, or, when ``command`` is given, only
    that one: the others are listed by name and one-line help, which is all a
    command line naming ``command`` (or ``sroi --help``, with a ``command``
    that names none) needs.
    """
    parser = _Parser(
        prog="sroi",
        description="Social Return on Investment (SROI) modelling with honest uncertainty: "
        "validate YAML scenarios and run Monte Carlo projections of unit cost, "
        "value, NPV and SROI ratio per site.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sroi {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        if command is None or name == command:
            _command_module(name).add_parser(sub)
            # A handler's own checks are reported with its command's usage.
            sub.choices[name].set_defaults(command_parser=sub.choices[name])
        else:
            sub.add_parser(name, help=HELP[name], add_help=False)
    return parser


def _command_module(name: str) -> ModuleType:
    """The module of subcommand ``name``, imported now.  Each import is
    written out, not made from the name, so the test of the package's layers
    sees it."""
    match name:
        case "validate":
            from sroi.cli import validate_cmd

            return validate_cmd
        case "run":
            from sroi.cli import run_cmd

            return run_cmd
        case "schema":
            from sroi.cli import schema_cmd

            return schema_cmd
        case "sensitivity":
            from sroi.cli import sensitivity_cmd

            return sensitivity_cmd
        case "report":
            from sroi.cli import report_cmd

            return report_cmd
        case "compare":
            from sroi.cli import compare_cmd

            return compare_cmd
        case "replicate":
            from sroi.cli import replicate_cmd

            return replicate_cmd
        case "sweep":
            from sroi.cli import sweep_cmd

            return sweep_cmd
        case "app":
            from sroi.cli import app_cmd

            return app_cmd
    raise KeyError(name)


def _command_named(argv: Sequence[str]) -> str:
    """The subcommand an argument list names: its first argument that is not an
    option (``""`` when there is none)."""
    return next((a for a in argv if not a.startswith("-")), "")


def _show_warning(message: Warning | str, *_: object, **__: object) -> None:
    """Show a warning as the command line shows its own: ``sroi: warning: ...``."""
    print(f"sroi: warning: {message}", file=sys.stderr)


def _tolerant_streams() -> None:
    """Text the terminal's encoding cannot show is written as ``\\uXXXX``
    escapes instead of failing (``PYTHONIOENCODING=ascii``)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def _stdout_failed(exc: OSError) -> int:
    """Standard output is closed, full or a pipe nobody reads: say so once."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        # Nothing more may reach the broken stream, even at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    reason = exc.strerror or type(exc).__name__
    print(f"sroi: error: cannot write to standard output: {reason}", file=sys.stderr)
    return 1


class _ClosedStdout(io.TextIOBase):
    """Standard output of a process started without one: writing to it fails
    as writing to a closed descriptor does, so every command reports it in
    one line (``print`` to a missing stream did nothing, and
    ``sys.stdout.write`` failed with an internal error)."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        raise OSError(errno.EBADF, "standard output is closed")


def _flush_stdout() -> None:
    if sys.stdout is None:
        raise OSError(errno.EBADF, "standard output is closed")
    sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.  Everything it prints
    shows control characters escaped (:mod:`sroi.cli.terminal`)."""
    _tolerant_streams()
    with escaped_output():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(_command_named(argv))
    args = parser.parse_args(argv)
    from sroi.cli.options import few_draws_warning
    from sroi.files import OutputError, Terminated, terminate_raises

    # A command's own checks of its options come before any warning.
    check = getattr(args, "check", None)
    problem = check(args) if check is not None else None
    if problem is not None:
        args.command_parser.error(problem)
    few = few_draws_warning(getattr(args, "draws", None))
    if few is not None:
        print(f"sroi: warning: {few}", file=sys.stderr)

    closed = sys.stdout is None
    try:
        if closed:  # started with standard output closed (``>&-``)
            sys.stdout = _ClosedStdout()
        with terminate_raises(), warnings.catch_warnings():
            warnings.showwarning = _show_warning
            status: int = args.handler(args, args.command_parser)
            _flush_stdout()
        return status
    except KeyboardInterrupt:
        print("sroi: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("sroi: terminated", file=sys.stderr)
        return 143
    except OutputError as exc:
        print(f"sroi: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        if _is_stdout_error(exc):
            return _stdout_failed(exc)
        if os.environ.get("SROI_DEBUG"):
            raise
        print(f"sroi: error: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # pragma: no cover - a bug, not bad input
        from sroi.engine.errors import ResultError

        if isinstance(exc, ResultError):  # a scenario too extreme to compute with
            print(f"sroi: error: {exc}", file=sys.stderr)
            return 2
        if os.environ.get("SROI_DEBUG"):
            raise
        print(
            f"sroi: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in sroi, not in your input; set SROI_DEBUG=1 to see the traceback.",
            file=sys.stderr,
        )
        return 1
    finally:
        if closed:
            sys.stdout = None


#: Thresholds of the garbage collector's three generations while a command
#: runs (Python's defaults are 700, 10, 10).
GC_THRESHOLD = (200_000, 30, 30)


def console() -> NoReturn:
    """The installed ``sroi`` script and ``python -m sroi``: run :func:`main`
    on the command line's arguments, then end the process with its status.

    What the command built is left for the process's end to free.  Frozen out
    of the garbage collector (``gc.freeze``), the objects that importing
    pydantic and building the scenario models create (tens of thousands) are
    not searched again for reference cycles as the interpreter shuts down,
    which would add 0.02 to 0.03 s to every command.  Standard output and
    standard error are still flushed, and exit handlers still run.

    The collector's youngest generation is searched every 200,000 new
    objects, not every 700 (:data:`GC_THRESHOLD`): starting a command
    creates objects that live as long as the process, and searching them
    again and again for cycles cost ``sroi validate`` 36 million instructions
    at start-up (3%).  The engine's arrays hold no cycles, so a run's peak memory is
    the same.
    """
    gc.set_threshold(*GC_THRESHOLD)
    status = main()
    gc.freeze()
    sys.exit(status)


def _is_stdout_error(exc: OSError) -> bool:
    """A failure to write standard output (as opposed to a file)."""
    if isinstance(exc, BrokenPipeError) or exc.errno in (errno.EPIPE, errno.EBADF):
        return True
    # Output files report their own errors (OutputError), so a full disk
    # here is standard output's.
    return exc.errno == errno.ENOSPC and getattr(exc, "filename", None) is None


if __name__ == "__main__":  # pragma: no cover
    console()
